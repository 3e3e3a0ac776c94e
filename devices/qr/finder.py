"""A cheap look for QR finder patterns, so that a frame with no code costs almost nothing.

A finder pattern crossed by any line through its centre gives five runs dark–light–dark–
light–dark in the ratio 1:1:3:1:1, whatever the code's rotation. Every other row is scanned
across and every other column down, each against a local threshold (the mean of the 48×48
neighbourhood, from a grid of 16×16 block means); a finder is where an across hit and a down
hit fall in the same 8×8 cell (or a neighbouring one). Flat blocks — with no dark–light
contrast — count as light, so sensor noise on a wall makes no runs.

Full horizontal and vertical resolution is kept (only every other line is skipped), so a
finder of 2 pixels per module (14 pixels across) is still crossed by 7 lines with runs of
2–6 pixels. Measured with `madoguchi bench qr`.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

BLOCK = 16  # pixels per side of a threshold block
CELL = 8  # pixels per side of a cell where across and down hits must meet
MIN_CONTRAST = 40  # grey levels between a block neighbourhood's dark and light ends
STEP = 2  # scan every other row and every other column
MAX_CANDIDATES = 128  # across-and-down coincidences checked on the diagonals


@dataclass(frozen=True)
class FinderHits:
    """Finder patterns seen: centres (x, y) and module sizes, in frame pixels."""

    centers: np.ndarray  # N×2
    modules: np.ndarray  # N

    @classmethod
    def none(cls) -> FinderHits:
        return cls(np.empty((0, 2)), np.empty(0))

    def __bool__(self) -> bool:
        return len(self.centers) > 0

    def box(self, modules: float) -> tuple[int, int, int, int] | None:
        """(left, top, right, bottom) around every hit, grown by `modules` of the largest."""
        if not len(self.centers):
            return None
        margin = modules * float(self.modules.max())
        left, top = self.centers.min(axis=0) - margin
        right, bottom = self.centers.max(axis=0) + margin
        return int(left), int(top), int(np.ceil(right)), int(np.ceil(bottom))


def _box3(grid: np.ndarray, reduce: str) -> np.ndarray:
    """Mean, minimum or maximum over each cell's 3×3 neighbourhood (edges repeated)."""
    rows, cols = grid.shape
    padded = np.pad(grid, 1, mode="edge")
    views = [padded[dy : dy + rows, dx : dx + cols] for dy in range(3) for dx in range(3)]
    if reduce == "mean":
        return sum(v.astype(np.float32) for v in views) / 9.0
    return np.min(views, axis=0) if reduce == "min" else np.max(views, axis=0)


def _per_block(sample: np.ndarray, op: np.ufunc) -> np.ndarray:
    """`op` folded over each 4×4 tile (element-wise on strided views: far faster than a
    reduction over short axes)."""
    cols = op(op(sample[:, 0::4], sample[:, 1::4]), op(sample[:, 2::4], sample[:, 3::4]))
    return op(op(cols[0::4], cols[1::4]), op(cols[2::4], cols[3::4]))


def _block_thresholds(gray: np.ndarray) -> np.ndarray:
    """Per 16×16 block: the threshold of its 48×48 neighbourhood; 0 (nothing dark) if flat.

    Block statistics come from every 4th pixel of every 4th row: plenty for a mean, a darkest
    and a lightest value, at a sixteenth of the cost.
    """
    rows, cols = gray.shape[0] // BLOCK, gray.shape[1] // BLOCK
    sample = gray[: rows * BLOCK : 4, : cols * BLOCK : 4]
    mean = _box3(_per_block(sample.astype(np.uint16), np.add) / 16.0, "mean")
    low = _box3(_per_block(sample, np.minimum), "min").astype(np.float32)
    high = _box3(_per_block(sample, np.maximum), "max").astype(np.float32)
    # halfway between the neighbourhood's mid-range and its mean (robust to a lone highlight),
    # less a margin: pixels just under a threshold are noise on a grey surface, not ink
    threshold = (low + high) / 4.0 + mean / 2.0 - (high - low) / 8.0
    return np.where(high - low >= MIN_CONTRAST, threshold, 0).astype(np.uint8)


def _run_hits(ink: np.ndarray) -> tuple[np.ndarray, ...]:
    """Every 1:1:3:1:1 run pattern along axis 1: (line, centre, module size, dark centre?).

    Either polarity: dark-light-dark-light-dark (a printed code) or the reverse (a phone in
    dark mode).
    """
    lines, length = ink.shape
    # pad each line with a light pixel at both ends so every run starts and ends on the line
    padded = np.zeros((lines, length + 2), bool)
    padded[:, 1:-1] = ink
    flat = padded.ravel()
    edges = np.flatnonzero(flat[1:] != flat[:-1]) + 1  # first pixel of each new run
    if len(edges) < 6:
        empty = np.empty(0)
        return empty.astype(int), empty, empty, empty.astype(bool)
    starts = edges[:-1]
    runs = np.diff(edges)
    row_of = starts // (length + 2)
    first = np.arange(len(runs) - 4)
    first = first[row_of[first] == row_of[first + 4]]  # five runs on one line
    a, b, c, d, e = (runs[first + k].astype(np.float32) for k in range(5))
    unit = (a + b + c + d + e) / 7.0
    loose = unit * 0.7 + 0.8  # generous: blur, perspective and 2-pixel modules
    ok = (
        (unit >= 1.5)
        & (np.abs(a - unit) <= loose)
        & (np.abs(b - unit) <= loose)
        & (np.abs(d - unit) <= loose)
        & (np.abs(e - unit) <= loose)
        & (np.abs(c - 3 * unit) <= 1.5 * loose)
    )
    first = first[ok]
    centre = starts[first + 2] + runs[first + 2] / 2.0
    line = row_of[first]
    return line, centre - line * (length + 2) - 1, unit[ok], flat[starts[first]]


def _cell_counts(ys: np.ndarray, xs: np.ndarray, shape: tuple[int, int]) -> np.ndarray:
    """Hits per cell, summed over each cell's 3×3 neighbourhood."""
    counts = np.bincount(ys * shape[1] + xs, minlength=shape[0] * shape[1]).reshape(shape)
    padded = np.pad(counts, 1)
    return sum(padded[dy : dy + shape[0], dx : dx + shape[1]] for dy in range(3) for dx in range(3))


def _first(mask: np.ndarray, after: np.ndarray) -> np.ndarray:
    """Per row, the first index past `after` where `mask` holds; -1 where none does."""
    index = np.arange(mask.shape[1])
    masked = mask & (index > after[:, None])
    return np.where(masked.any(axis=1), masked.argmax(axis=1), -1)


def _diagonals_agree(
    gray: np.ndarray,
    block_threshold: np.ndarray,
    centers: np.ndarray,
    units: np.ndarray,
    dark_centre: np.ndarray,
) -> np.ndarray:
    """Whether both diagonals through each centre also cross a centre square and two rings.

    Parallel lines (a paper's edge and its printed frame, a shadow) pass the across and down
    tests at some angles; no straight lines pass on both diagonals, but a finder does.
    """
    height, width = gray.shape
    reach = int(min(np.ceil(units.max() * 5) + 2, 64))
    steps = np.arange(reach + 1)
    cx = np.round(centers[:, 0]).astype(int)
    cy = np.round(centers[:, 1]).astype(int)
    rows_b, cols_b = block_threshold.shape
    level = block_threshold[
        np.clip(cy // BLOCK, 0, rows_b - 1), np.clip(cx // BLOCK, 0, cols_b - 1)
    ]
    start = np.zeros(len(cx), int)
    ok = np.ones(len(centers), bool)
    for dx, dy in ((1, 1), (1, -1)):
        halves = []
        for sign in (1, -1):
            xs = cx[:, None] + sign * dx * steps
            ys = cy[:, None] + sign * dy * steps
            inside = (xs >= 0) & (xs < width) & (ys >= 0) & (ys < height)
            ink = gray[np.clip(ys, 0, height - 1), np.clip(xs, 0, width - 1)] < level[:, None]
            like_centre = inside & (ink == dark_centre[:, None])
            unlike = ~like_centre
            inner = _first(unlike, start)  # end of the centre square
            ring = _first(like_centre, inner)  # end of the first ring
            outer = _first(unlike, ring)  # end of the outer ring
            valid = like_centre[:, 0] & (inner > 0) & (ring > 0) & (outer > 0)
            halves.append((valid, inner, ring - inner, outer - ring))
        (valid_a, centre_a, near_a, far_a), (valid_b, centre_b, near_b, far_b) = halves
        centre = centre_a + centre_b - 1
        module = (centre + near_a + near_b + far_a + far_b) / 7.0
        rings = np.stack([near_a, near_b, far_a, far_b])
        ok &= (
            valid_a
            & valid_b
            & np.all((rings >= 0.4 * module) & (rings <= 2.2 * module), axis=0)
            & (centre >= 1.8 * module)
            & (centre <= 4.5 * module)
        )
    return ok


def find_finders(gray: np.ndarray) -> FinderHits:
    """Finder patterns seen across, down and on both diagonals (possibly none)."""
    height, width = gray.shape
    if height < BLOCK or width < BLOCK:
        return FinderHits.none()
    threshold = _block_thresholds(gray)
    if not threshold.any():
        return FinderHits.none()
    rows_b, cols_b = threshold.shape
    # thresholds for the scanned lines only: each block's value repeated over its pixels
    lines_per_block = BLOCK // STEP
    across = gray[: rows_b * BLOCK : STEP, : cols_b * BLOCK] < np.repeat(
        np.repeat(threshold, lines_per_block, axis=0), BLOCK, axis=1
    )
    down = np.ascontiguousarray(
        (
            gray[: rows_b * BLOCK, : cols_b * BLOCK : STEP]
            < np.repeat(np.repeat(threshold, BLOCK, axis=0), lines_per_block, axis=1)
        ).T
    )
    line_a, pos_a, _, _ = _run_hits(across)
    line_d, pos_d, unit_d, dark_d = _run_hits(down)
    if not len(pos_a) or not len(pos_d):
        return FinderHits.none()
    shape = (height // CELL + 1, width // CELL + 1)
    near_across = _cell_counts(line_a * STEP // CELL, pos_a.astype(int) // CELL, shape)
    cell_y, cell_x = pos_d.astype(int) // CELL, line_d * STEP // CELL
    support = near_across[cell_y, cell_x]
    meets = np.flatnonzero(support > 0)
    # one candidate per cell (its first down hit), the best supported first: a finder is
    # crossed by several lines each way, a look-alike in the data area by few
    cells = cell_y[meets] * shape[1] + cell_x[meets]
    _, first, per_cell = np.unique(cells, return_index=True, return_counts=True)
    score = support[meets[first]] + per_cell
    chosen = meets[first[np.argsort(-score, kind="stable")[:MAX_CANDIDATES]]]
    if not len(chosen):
        return FinderHits.none()
    centers = np.stack([line_d[chosen] * STEP, pos_d[chosen]], axis=1).astype(np.float64)
    agree = _diagonals_agree(gray, threshold, centers, unit_d[chosen], dark_d[chosen])
    return FinderHits(centers[agree], unit_d[chosen][agree].astype(np.float64))
