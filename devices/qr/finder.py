"""A cheap look for QR finder patterns, so that a frame with no code costs almost nothing.

A finder pattern crossed by any line through its centre gives five runs dark–light–dark–
light–dark in the ratio 1:1:3:1:1, whatever the code's rotation (light–dark–light–dark–light
for a phone in dark mode). The look, all in numpy on the 8-bit frame:
1. thresholds per 16×16 block, from the darkest, lightest and mean of its 48×48
   neighbourhood (sampled on 2×2 means every 4th pixel), less a margin; blocks with under
   MIN_CONTRAST grey levels of contrast are flat: nothing dark there, so sensor noise on a wall
   makes no runs;
2. every 4th row scanned across and every 4th column down, each line the mean of 4
   neighbouring lines (half the noise, and no moiré checkerboard), keeping full resolution
   along the line: a finder of 2 pixels per module (14 across, its centre 6) is still crossed;
3. a candidate where a down hit has an across hit in a neighbouring 8×8 cell;
4. the best-supported candidates checked on both diagonals (straight lines — a paper's edge
   and its printed frame — pass across and down at some angles, never on both diagonals), with
   the centre and first ring at least MIN_CONTRAST or NOISE_FACTOR noise deviations apart
   (noise beside a faint edge can fake the runs, not their contrast).
More than CROWDED candidates is a code's data area (hundreds of look-alikes, where a room has
tens): worth decoding whatever the diagonals say. Measured with `madoguchi bench qr`.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
from PIL import Image

BLOCK = 16  # pixels per side of a threshold block
CELL = 8  # pixels per side of a cell where across and down hits must meet
MIN_CONTRAST = 16  # grey levels between dark and light (block neighbourhoods, finder rings)
NOISE_FACTOR = 4.0  # a finder's centre and ring differ by this many noise deviations
STEP = 4  # scan every 4th row and every 4th column, each the mean of 4 lines
MAX_CANDIDATES = 64  # across-and-down coincidences checked on the diagonals
CROWDED = 160  # more candidates than this: a code's data area, most likely


@dataclass(frozen=True)
class FinderHits:
    """Finder patterns seen (centres (x, y), frame pixels), or a crowd of look-alikes."""

    centers: np.ndarray  # N×2, confirmed finders (none checked when crowded)
    modules: np.ndarray  # module sizes of the finders, or when crowded of the look-alikes
    crowded: bool = False  # many look-alikes: a code's data area, most likely
    lookalikes: np.ndarray = field(default_factory=lambda: np.empty((0, 2)))  # M×2 cells

    @classmethod
    def none(cls) -> FinderHits:
        return cls(np.empty((0, 2)), np.empty(0))

    def __bool__(self) -> bool:
        """Worth decoding: a finder was confirmed, or look-alikes crowd like a code's data."""
        return len(self.centers) > 0 or self.crowded

    def box(self, modules: float) -> tuple[int, int, int, int] | None:
        """(left, top, right, bottom) around the finders and, if crowded, the bulk of the
        look-alikes (2nd–98th percentile: a code's data area), grown by `modules` modules."""
        points = [self.centers]
        if self.crowded:
            low, high = np.percentile(self.lookalikes, (2, 98), axis=0)
            points.append(np.stack([low, high]))
        every = np.concatenate(points)
        if not len(every):
            return None
        module = float(np.median(self.modules)) if len(self.modules) else 2.0
        left, top = every.min(axis=0) - modules * module
        right, bottom = every.max(axis=0) + modules * module
        return int(left), int(top), int(np.ceil(right)), int(np.ceil(bottom))


def _box3(grid: np.ndarray, reduce: str) -> np.ndarray:
    """Mean, minimum or maximum over each cell's 3×3 neighbourhood (edges repeated)."""
    rows, cols = grid.shape
    padded = np.pad(grid, 1, mode="edge")
    views = [padded[dy : dy + rows, dx : dx + cols] for dy in range(3) for dx in range(3)]
    if reduce == "mean":
        return _added([v.astype(np.float32) for v in views]) / 9.0
    return np.min(views, axis=0) if reduce == "min" else np.max(views, axis=0)


def _per_block(sample: np.ndarray, op: np.ufunc) -> np.ndarray:
    """`op` folded over each 4×4 tile (element-wise on strided views: far faster than a
    reduction over short axes)."""
    cols = op(op(sample[:, 0::4], sample[:, 1::4]), op(sample[:, 2::4], sample[:, 3::4]))
    return op(op(cols[0::4], cols[1::4]), op(cols[2::4], cols[3::4]))


def _block_thresholds(gray: np.ndarray) -> np.ndarray:
    """Per 16×16 block: the threshold of its 48×48 neighbourhood; 0 (nothing dark) if flat.

    Block statistics come from 2×2 means at every 4th pixel of every 4th row: plenty for a
    mean, a darkest and a lightest value, at a quarter of the cost; the 2×2 mean halves sensor
    noise, so that a faint code stands out from a grey wall's noise.
    """
    rows, cols = gray.shape[0] // BLOCK, gray.shape[1] // BLOCK
    h, w = rows * BLOCK, cols * BLOCK
    total = gray[0:h:4, 0:w:4].astype(np.uint16)
    total += gray[1:h:4, 0:w:4]
    total += gray[0:h:4, 1:w:4]
    total += gray[1:h:4, 1:w:4]
    sample = (total >> 2).astype(np.uint8)
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
    return _added(
        [padded[dy : dy + shape[0], dx : dx + shape[1]] for dy in range(3) for dx in range(3)]
    )


def _added(arrays: list[np.ndarray]) -> np.ndarray:
    """The element-wise sum of `arrays`, added in order (as `sum` would, typed as an array)."""
    total = arrays[0]
    for array in arrays[1:]:
        total = total + array
    return total


def noise_level(gray: np.ndarray) -> float:
    """Sensor noise (standard deviation, grey levels) from neighbouring pixels' differences.

    Of two neighbours on a flat surface the difference is N(0, 2σ²), whose median magnitude is
    0.954 σ; edges are few, so the median ignores them. Every 16th row is plenty.
    """
    rows = gray[::16].astype(np.int16)
    diffs = np.abs(rows[:, 1::2] - rows[:, 0:-1:2]).ravel()
    return float(np.partition(diffs, len(diffs) // 2)[len(diffs) // 2]) / 0.954


def _first(mask: np.ndarray, after: np.ndarray) -> np.ndarray:
    """Per row, the first index past `after` where `mask` holds; -1 where none does."""
    index = np.arange(mask.shape[1])
    masked = mask & (index > after[:, None])
    return np.where(masked.any(axis=1), masked.argmax(axis=1), -1)


def _diagonals_agree(
    gray: np.ndarray,
    block_threshold: np.ndarray,
    *,
    centers: np.ndarray,
    units: np.ndarray,
    dark_centre: np.ndarray,
    min_contrast: float,
) -> np.ndarray:
    """Whether both diagonals through each centre also cross a centre square and two rings,
    the centre and the first ring at least `min_contrast` grey levels apart.

    Parallel lines (a paper's edge and its printed frame, a shadow) pass the across and down
    tests at some angles; no straight lines pass on both diagonals, but a finder does. Noise
    beside a faint edge can fake any pattern, but not its contrast.
    """
    height, width = gray.shape
    reach = int(min(np.ceil(units.max() * 4) + 2, 48))  # a finder's rim: 3.5 modules out
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
            y0, x0 = np.clip(ys, 0, height - 2), np.clip(xs, 0, width - 2)
            values = (
                gray[y0, x0].astype(np.uint16)
                + gray[y0 + 1, x0]
                + gray[y0, x0 + 1]
                + gray[y0 + 1, x0 + 1]
            ) >> 2  # the 2×2 mean, as on the scanned lines
            ink = values < level[:, None]
            like_centre = inside & (ink == dark_centre[:, None])
            unlike = ~like_centre
            inner = _first(unlike, start)  # end of the centre square
            ring = _first(like_centre, inner)  # end of the first ring
            outer = _first(unlike, ring)  # end of the outer ring
            valid = like_centre[:, 0] & (inner > 0) & (ring > 0) & (outer > 0)
            in_centre = steps < inner[:, None]
            in_ring = (steps >= inner[:, None]) & (steps < ring[:, None])
            centre_mean = (values * in_centre).sum(1) / np.maximum(in_centre.sum(1), 1)
            ring_mean = (values * in_ring).sum(1) / np.maximum(in_ring.sum(1), 1)
            valid &= np.abs(ring_mean - centre_mean) >= min_contrast
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
    """Finder patterns seen across, down and on both diagonals (possibly none).

    Candidates are where a down hit has an across hit in a neighbouring cell, checked on the
    diagonals best supported first (most hits nearby), at most MAX_CANDIDATES of them.
    """
    height, width = gray.shape
    if height < BLOCK or width < BLOCK:
        return FinderHits.none()
    threshold = _block_thresholds(gray)
    if not threshold.any():
        return FinderHits.none()
    rows_b, cols_b = threshold.shape
    # thresholds for the scanned lines only: each block's value repeated over its pixels
    lines_per_block = BLOCK // STEP
    h, w = rows_b * BLOCK, cols_b * BLOCK
    # each scanned line is the mean of STEP neighbouring lines (Pillow's box reduce, in C): less
    # noise, and the one-pixel checkerboard a phone's pixel grid beats into averages out
    area = Image.fromarray(np.ascontiguousarray(gray[:h, :w]))
    across = np.asarray(area.reduce((1, STEP))) < np.repeat(
        np.repeat(threshold, lines_per_block, axis=0), BLOCK, axis=1
    )
    down = np.asarray(area.reduce((STEP, 1)).transpose(Image.Transpose.TRANSPOSE)) < np.repeat(
        np.repeat(threshold.T, lines_per_block, axis=0), BLOCK, axis=1
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
    # A code's data area crosses 1:1:3:1:1 runs both ways in hundreds of cells, a room's
    # scene in tens: past CROWDED the frame is worth decoding, and the look-alikes' spread
    # says where the code is, so the diagonals are not checked at all
    if len(first) > CROWDED:
        cell = meets[first]
        lookalikes = (np.stack([cell_x[cell], cell_y[cell]], axis=1) + 0.5) * CELL
        return FinderHits(np.empty((0, 2)), unit_d[cell].astype(np.float64), True, lookalikes)
    score = support[meets[first]] + per_cell
    chosen = meets[first[np.argsort(-score, kind="stable")[:MAX_CANDIDATES]]]
    if not len(chosen):
        return FinderHits.none()
    centers = np.stack([line_d[chosen] * STEP, pos_d[chosen]], axis=1).astype(np.float64)
    contrast = max(MIN_CONTRAST, NOISE_FACTOR * noise_level(gray) / 2)  # 2×2 means: σ/2
    agree = _diagonals_agree(
        gray,
        threshold,
        centers=centers,
        units=unit_d[chosen],
        dark_centre=dark_d[chosen],
        min_contrast=contrast,
    )
    return FinderHits(centers[agree], unit_d[chosen][agree].astype(np.float64))
