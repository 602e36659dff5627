"""One look for every figure in the book: colours, fonts and sizes, set by :func:`use_style`.

Each chapter's first (hidden) cell calls ``use_style()``, so the figures of all chapters match
and stay reproducible (fixed DPI, PNG output).
"""

from __future__ import annotations

# Colours by role, so the same thing has the same colour on every page.
COLORS = {
    "input": "#4C72B0",     # x
    "hidden": "#DD8452",    # h, and the cell state c
    "output": "#55A868",    # y-hat, z
    "loss": "#C44E52",      # L, gradients
    "gate": "#8172B3",      # gates
    "neutral": "#7F7F7F",
}
# Models by name, for comparison plots.
MODEL_COLORS = {"RNN": "#4C72B0", "GRU": "#55A868", "LSTM": "#C44E52", "n-gram": "#7F7F7F"}


def use_style() -> None:
    """Set matplotlib's defaults for the book (call once at the top of a chapter)."""
    import matplotlib as mpl

    mpl.rcParams.update({
        "figure.figsize": (7.0, 3.6),
        "figure.dpi": 110,
        "savefig.dpi": 110,
        "font.size": 10.5,
        "axes.titlesize": 11.5,
        "axes.spines.top": False,
        "axes.spines.right": False,
        "axes.grid": True,
        "grid.alpha": 0.3,
        "legend.frameon": False,
        "image.cmap": "viridis",
    })
    try:  # in a notebook: PNG output (nbval does not compare images; SVG ids change per run)
        from IPython import get_ipython

        shell = get_ipython()
        if shell is not None:
            shell.run_line_magic("config", "InlineBackend.figure_formats = ['png']")
    except ImportError:
        pass
