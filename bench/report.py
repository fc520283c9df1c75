"""How results are printed: plain-text tables, and the sections the final summary repeats."""

from collections.abc import Sequence
from dataclasses import dataclass, field


def fmt_ms(value: float | None) -> str:
    return "-" if value is None else f"{value:.2f}"


def table(headers: Sequence[str], rows: Sequence[Sequence[object]], left: int = 1) -> str:
    """A plain-text table; the first `left` columns are left-aligned, the others right."""
    cells = [[str(c) for c in headers]] + [[str(c) for c in row] for row in rows]
    widths = [max(len(row[i]) for row in cells) for i in range(len(headers))]
    lines = []
    for n, row in enumerate(cells):
        lines.append(
            "  ".join(
                c.ljust(w) if i < left else c.rjust(w)
                for i, (c, w) in enumerate(zip(row, widths, strict=True))
            ).rstrip()
        )
        if n == 0:
            lines.append("  ".join("-" * w for w in widths))
    return "\n".join(lines)


@dataclass
class Report:
    sections: list[str] = field(default_factory=list)

    def add(self, title: str, body: str, *, in_summary: bool = True) -> None:
        """Print a section now; the final summary repeats it (unless in_summary is False)."""
        text = f"\n=== {title} ===\n{body}\n"
        print(text, flush=True)
        if in_summary:
            self.sections.append(text)
