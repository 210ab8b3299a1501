"""What the tests share: data paths, real processes, terminals, generated deals (imported by test modules and conftest files alike)."""
