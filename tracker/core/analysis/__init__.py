"""Analysis: totals from the running sums, the ecosystem graph, cycles, layout and renderers."""
