"""A small camera model that photographs a QR code on a phone screen or on printed paper.

The pieces a counter camera sees, each modelled just far enough to fail the way real photos
fail:
- the carrier: a phone screen (bezel, page text, the code drawn in screen pixels with the dark
  gaps between them, whose grid beats against the camera's into moiré) or printed paper (toner
  on grainy paper, kanji-like text around the code — 回 and 口 are finder-pattern look-alikes);
- its pose: a plane (or, for folded paper, a chain of planes hinged along the fold and gentle
  bends) rotated and tilted in 3D and projected through a pinhole of focal length `FOCAL_PX`;
  each plane is a homography, rendered at twice the frame's resolution and box-reduced, so the
  sensor integrates light over its pixels;
- the light: room light with a gradient, Lambert shading of each plane, a specular highlight
  (glare) that saturates, a screen's own glow;
- the camera: defocus, motion blur, shot and read noise (amplified in low light), JPEG.

Everything is drawn from a `numpy.random.Generator`, so a seed gives the same photo. Output is
an 8-bit grayscale 1280×720 image, as the kiosk's camera view hands frames to the decoder.
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from typing import Literal

import numpy as np
from PIL import Image, ImageDraw, ImageFilter

FRAME_SIZE = (1280, 720)
FOCAL_PX = 1100.0  # ≈ 60° horizontal field of view at 1280 px, a typical webcam
SUPERSAMPLE = 2
Medium = Literal["screen", "paper"]


# --- carriers ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Carrier:
    """A flat picture of the code's carrier: `pixels` (reflectance or glow, 0–255)."""

    pixels: np.ndarray = field(repr=False)  # H×W uint8
    code_center: tuple[float, float]  # (u, v) in carrier pixels
    code_side: float  # carrier pixels across the symbol with its quiet zone
    medium: Medium


def _kanji_like(
    draw: ImageDraw.ImageDraw,
    corner: tuple[float, float],
    size: float,
    ink: int,
    rng: np.random.Generator,
) -> None:
    """One character-sized glyph of strokes; sometimes a box (口), rarely a filled box in a box
    (▣, a form's tick box — as good a finder pattern as a real one)."""
    x, y = corner
    stroke = max(1, round(size / 9))
    shape = rng.random()
    if shape < 0.08:
        draw.rectangle((x, y, x + size, y + size), outline=ink, width=stroke)
        if shape < 0.01:
            inner = size * 0.3
            draw.rectangle((x + inner, y + inner, x + size - inner, y + size - inner), fill=ink)
        return
    for _ in range(int(rng.integers(2, 6))):
        if rng.random() < 0.5:
            y0 = y + rng.uniform(0, size)
            x0, x1 = sorted(x + rng.uniform(0, size, 2))
            draw.rectangle((x0, y0, x1, y0 + stroke), fill=ink)
        else:
            x0 = x + rng.uniform(0, size)
            y0, y1 = sorted(y + rng.uniform(0, size, 2))
            draw.rectangle((x0, y0, x0 + stroke, y1), fill=ink)


def _text_lines(
    draw: ImageDraw.ImageDraw,
    box: tuple[float, float, float, float],
    size: float,
    ink: int,
    rng: np.random.Generator,
) -> None:
    left, top, right, bottom = box
    y = top
    while y + size <= bottom:
        x = left
        end = right - rng.uniform(0, (right - left) * 0.5)
        while x + size <= end:
            if rng.random() > 0.08:  # a space now and then
                _kanji_like(draw, (x, y), size, ink, rng)
            x += size * 1.1
        y += size * 1.6


def paper_carrier(modules: np.ndarray, rng: np.random.Generator) -> Carrier:
    """A printed form around the code: grainy paper, toner, kanji-like lines above and below."""
    module_px = 6
    side = modules.shape[0] * module_px
    margin_x = int(side * rng.uniform(0.2, 0.6))
    above, below = int(side * rng.uniform(0.25, 0.6)), int(side * rng.uniform(0.15, 0.5))
    width, height = side + 2 * margin_x, side + above + below
    paper, toner = int(rng.integers(225, 245)), int(rng.integers(15, 40))
    image = Image.new("L", (width, height), paper)
    draw = ImageDraw.Draw(image)
    glyph = module_px * rng.uniform(7, 11)
    _text_lines(draw, (margin_x * 0.3, above * 0.1, width - margin_x * 0.3, above - glyph), glyph,
                toner, rng)  # fmt: skip
    _text_lines(draw, (margin_x * 0.3, above + side + glyph * 0.5, width - margin_x * 0.3,
                       height - glyph * 0.2), glyph, toner, rng)  # fmt: skip
    draw.rectangle((2, 2, width - 3, height - 3), outline=toner, width=2)  # the form's frame
    code = np.where(modules, toner, paper).astype(np.uint8)
    code_image = Image.fromarray(code).resize((side, side), Image.Resampling.NEAREST)
    image.paste(code_image, (margin_x, above))
    image = image.filter(ImageFilter.GaussianBlur(0.6))  # toner spreads a little
    grain = rng.normal(0, 3.0, (height, width))
    pixels = np.clip(np.asarray(image, np.float32) + grain, 0, 255).astype(np.uint8)
    return Carrier(pixels, (margin_x + side / 2, above + side / 2), float(side), "paper")


def screen_carrier(modules: np.ndarray, rng: np.random.Generator) -> Carrier:
    """A phone showing the code: page text, the code scaled to screen pixels, the pixel grid."""
    per_module = float(rng.uniform(4.5, 8.5))  # screen pixels per module (device pixel ratio 3)
    side = round(modules.shape[0] * per_module)
    margin = int(side * rng.uniform(0.04, 0.1))
    above, below = int(side * rng.uniform(0.3, 0.55)), int(side * rng.uniform(0.1, 0.3))
    width, height = side + 2 * margin, side + above + below
    white, black = int(rng.integers(235, 256)), int(rng.integers(5, 30))
    screen = Image.new("L", (width, height), white)
    draw = ImageDraw.Draw(screen)
    draw.rectangle((0, 0, width, int(above * 0.18)), fill=int(rng.integers(40, 120)))  # header
    glyph = per_module * rng.uniform(4, 7)
    _text_lines(draw, (margin, above * 0.3, width - margin, above - glyph * 0.5), glyph, black,
                rng)  # fmt: skip
    # the browser scales the code image with nearest-neighbour: modules 4 or 5 pixels wide
    code = Image.fromarray(np.where(modules, black, white).astype(np.uint8))
    screen.paste(code.resize((side, side), Image.Resampling.NEAREST), (margin, above))
    pixels = np.asarray(screen, np.float32)
    # each screen pixel as 2×2 carrier pixels, its right column and bottom row dimmer: the gap
    gap = float(rng.uniform(0.45, 0.8))
    grid = np.array([[1.0, gap], [gap, gap * gap]], np.float32)
    lit = np.kron(pixels, grid)
    bezel = int(lit.shape[1] * rng.uniform(0.03, 0.06))
    phone = np.full((lit.shape[0] + 2 * bezel, lit.shape[1] + 2 * bezel), 18.0, np.float32)
    phone[bezel:-bezel, bezel:-bezel] = lit
    center = (bezel + 2 * (margin + side / 2), bezel + 2 * (above + side / 2))
    return Carrier(phone.astype(np.uint8), center, 2.0 * side, "screen")


# --- pose and projection ----------------------------------------------------------------------


def _rotation(axis: np.ndarray, angle: float) -> np.ndarray:
    axis = axis / np.linalg.norm(axis)
    x, y, z = axis
    k = np.array([[0, -z, y], [z, 0, -x], [-y, x, 0]])
    return np.eye(3) + np.sin(angle) * k + (1 - np.cos(angle)) * (k @ k)


@dataclass(frozen=True)
class Pose:
    """Where the code lands: its centre and size in the frame, how it is turned and tilted."""

    center: tuple[float, float]  # frame pixels
    code_px: float  # the symbol's side (with quiet zone) in frame pixels, seen face-on
    roll: float  # radians, in the carrier's plane
    tilt: float  # radians, out of the plane
    tilt_axis: float  # radians: direction, in the frame, of the axis the carrier tilts about
    hinges: tuple[tuple[float, float], ...] = ()  # (u as a fraction of the width, angle rad)


def _project(points: np.ndarray) -> np.ndarray:
    return np.stack(
        [
            FOCAL_PX * points[:, 0] / points[:, 2] + FRAME_SIZE[0] / 2,
            FOCAL_PX * points[:, 1] / points[:, 2] + FRAME_SIZE[1] / 2,
        ],
        axis=1,
    )


def _homography(src: np.ndarray, dst: np.ndarray) -> np.ndarray:
    """3×3 H with dst ~ H·src, from four point pairs."""
    rows, rhs = [], []
    for (x, y), (u, v) in zip(src, dst, strict=True):
        rows.append([x, y, 1, 0, 0, 0, -u * x, -u * y])
        rows.append([0, 0, 0, x, y, 1, -v * x, -v * y])
        rhs += [u, v]
    h = np.linalg.solve(np.array(rows, float), np.array(rhs, float))
    return np.append(h, 1.0).reshape(3, 3)


@dataclass(frozen=True)
class Facet:
    """One flat piece of the carrier: a column range of its pixels and its 3D normal."""

    u0: float
    u1: float
    corners: np.ndarray  # 4×2 frame pixels of (u0,0), (u1,0), (u1,H), (u0,H)
    normal: np.ndarray


def facets(carrier: Carrier, pose: Pose) -> list[Facet]:
    """The carrier as planar facets (hinged along vertical lines), placed and projected."""
    height, width = carrier.pixels.shape
    depth = 1000.0
    scale = pose.code_px * depth / (FOCAL_PX * carrier.code_side)  # world units per pixel
    cu, cv = carrier.code_center
    cuts = [0.0] + [f * width for f, _ in pose.hinges] + [float(width)]
    bends = [0.0] + [a for _, a in pose.hinges]
    # a chain of strips in the carrier's x–z plane, starting flat at the code's centre column
    x_at, z_at, heading = [0.0], [0.0], [0.0]
    for i in range(1, len(cuts)):
        heading.append(heading[-1] + bends[i - 1])
        length = (cuts[i] - cuts[i - 1]) * scale
        x_at.append(x_at[-1] + length * np.cos(heading[i]))
        z_at.append(z_at[-1] + length * np.sin(heading[i]))
    # shift so that the code's centre column sits at x = 0 (on whichever strip holds it)
    strip = max(i for i in range(len(cuts) - 1) if cuts[i] <= cu)
    along = (cu - cuts[strip]) * scale
    origin = np.array(
        [
            x_at[strip] + along * np.cos(heading[strip + 1]),
            z_at[strip] + along * np.sin(heading[strip + 1]),
        ]
    )
    axis = np.array([np.cos(pose.tilt_axis), np.sin(pose.tilt_axis), 0.0])
    rotate = _rotation(axis, pose.tilt) @ _rotation(np.array([0, 0, 1.0]), pose.roll)
    shift = np.array(
        [
            (pose.center[0] - FRAME_SIZE[0] / 2) * depth / FOCAL_PX,
            (pose.center[1] - FRAME_SIZE[1] / 2) * depth / FOCAL_PX,
            depth,
        ]
    )
    out = []
    for i in range(len(cuts) - 1):
        start = np.array([x_at[i], z_at[i]]) - origin
        end = np.array([x_at[i + 1], z_at[i + 1]]) - origin
        top, bottom = -cv * scale, (height - cv) * scale
        local = np.array(
            [
                [start[0], top, start[1]],
                [end[0], top, end[1]],
                [end[0], bottom, end[1]],
                [start[0], bottom, start[1]],
            ]
        )
        world = local @ rotate.T + shift
        tangent = end - start
        normal_local = np.array([-tangent[1], 0.0, tangent[0]])
        normal = rotate @ (normal_local / np.linalg.norm(normal_local))
        out.append(Facet(cuts[i], cuts[i + 1], _project(world), normal))
    return out


def code_corners(carrier: Carrier, pose: Pose) -> np.ndarray:
    """Frame pixels of the symbol's four corners (quiet zone included), the carrier flat."""
    flat = Pose(pose.center, pose.code_px, pose.roll, pose.tilt, pose.tilt_axis)
    (facet,) = facets(carrier, flat)
    height, width = carrier.pixels.shape
    outline = np.array([[0, 0], [width, 0], [width, height], [0, height]], float)
    to_frame = _homography(outline, facet.corners)
    (cu, cv), half = carrier.code_center, carrier.code_side / 2
    square = np.array(
        [[cu - half, cv - half, 1], [cu + half, cv - half, 1], [cu + half, cv + half, 1],
         [cu - half, cv + half, 1]]
    )  # fmt: skip
    mapped = square @ to_frame.T
    return mapped[:, :2] / mapped[:, 2:]


def render_carrier(carrier: Carrier, pose: Pose, light: np.ndarray) -> tuple[np.ndarray, ...]:
    """(value, coverage, shading) frames: the carrier seen by the camera, before the optics.

    `light` is the direction towards the room's main light; paper is shaded by it (Lambert),
    a screen glows on its own.
    """
    width, height = FRAME_SIZE
    total = np.zeros((height, width), np.float32)  # Σ value × coverage over the facets
    weight = np.zeros((height, width), np.float32)  # Σ coverage: facets meet without a seam
    lit = np.zeros((height, width), np.float32)
    source = Image.fromarray(carrier.pixels)
    for facet in facets(carrier, pose):
        crop = source.crop((int(facet.u0), 0, int(np.ceil(facet.u1)), carrier.pixels.shape[0]))
        cw, ch = crop.size
        corners = facet.corners
        left, top = np.floor(corners.min(axis=0)).astype(int)
        right, bottom = np.ceil(corners.max(axis=0)).astype(int)
        left, top = max(left, 0), max(top, 0)
        right, bottom = min(right, width), min(bottom, height)
        if right <= left or bottom <= top:
            continue
        box_w, box_h = right - left, bottom - top
        # frame (super-sampled, relative to the box) → carrier crop
        dst = (corners - [left, top]) * SUPERSAMPLE
        frame_to_crop = _homography(dst, np.array([[0, 0], [cw, 0], [cw, ch], [0, ch]], float))
        coeffs = tuple((frame_to_crop / frame_to_crop[2, 2]).ravel()[:8])
        size = (box_w * SUPERSAMPLE, box_h * SUPERSAMPLE)
        seen = crop.transform(size, Image.Transform.PERSPECTIVE, coeffs, Image.Resampling.BILINEAR)
        mask = Image.new("L", crop.size, 255).transform(
            size, Image.Transform.PERSPECTIVE, coeffs, Image.Resampling.BILINEAR
        )
        seen_px = np.asarray(seen.reduce(SUPERSAMPLE), np.float32)
        mask_px = np.asarray(mask.reduce(SUPERSAMPLE), np.float32) / 255.0
        region = (slice(top, top + seen_px.shape[0]), slice(left, left + seen_px.shape[1]))
        lambert = 1.0
        if carrier.medium == "paper":
            lambert = float(np.clip(abs(facet.normal @ light), 0.15, 1.0))
        total[region] += seen_px * mask_px
        weight[region] += mask_px
        lit[region] += lambert * mask_px
    covered = np.maximum(weight, 1e-6)
    return total / covered, np.minimum(weight, 1.0), np.where(weight > 0, lit / covered, 1.0)


def crease(carrier: Carrier, u: float, rng: np.random.Generator) -> Carrier:
    """A fold line across the paper: a dark crease with a bright edge beside it."""
    pixels = carrier.pixels.astype(np.float32)
    col = round(u)
    width = int(rng.integers(2, 5))
    pixels[:, max(col - width, 0) : col] *= rng.uniform(0.55, 0.8)
    pixels[:, col : col + width] = np.minimum(pixels[:, col : col + width] * 1.12, 255)
    return Carrier(
        np.clip(pixels, 0, 255).astype(np.uint8),
        carrier.code_center,
        carrier.code_side,
        carrier.medium,
    )


# --- the room ---------------------------------------------------------------------------------


def background(rng: np.random.Generator) -> np.ndarray:
    """A counter seen by the camera: a wall or desk gradient, papers and objects, signs."""
    width, height = FRAME_SIZE
    yy, xx = np.mgrid[0:height, 0:width].astype(np.float32)
    angle = rng.uniform(0, 2 * np.pi)
    ramp = (xx * np.cos(angle) + yy * np.sin(angle)) / np.hypot(width, height)
    low, high = sorted(rng.uniform(40, 200, 2))
    base = low + (high - low) * (ramp - ramp.min()) / (np.ptp(ramp) + 1e-6)
    image = Image.fromarray(base.astype(np.uint8))
    draw = ImageDraw.Draw(image)
    for _ in range(int(rng.integers(3, 9))):
        cx, cy = rng.uniform(0, width), rng.uniform(0, height)
        w, h = rng.uniform(60, 500), rng.uniform(40, 400)
        turn = rng.uniform(0, np.pi)
        corners = [
            (cx + dx * np.cos(turn) - dy * np.sin(turn), cy + dx * np.sin(turn) + dy * np.cos(turn))
            for dx, dy in ((-w / 2, -h / 2), (w / 2, -h / 2), (w / 2, h / 2), (-w / 2, h / 2))
        ]
        tone = int(rng.integers(20, 240))
        draw.polygon(corners, fill=tone)
        if rng.random() < 0.4 and tone > 150:  # a paper or sign with writing on it
            size = rng.uniform(8, 20)
            _text_lines(draw, (cx - w / 3, cy - h / 3, cx + w / 3, cy + h / 3), size,
                        int(rng.integers(10, 60)), rng)  # fmt: skip
    image = image.filter(ImageFilter.GaussianBlur(float(rng.uniform(0.5, 2.5))))
    return np.asarray(image, np.float32)


# --- the camera -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Camera:
    light: float = 1.0  # 1 = a lit office; 0.15 = a dim corner (gain amplifies the noise)
    defocus: float = 0.6  # Gaussian sigma, pixels
    motion: tuple[float, float] = (0.0, 0.0)  # blur length (px) and direction (rad)
    read_noise: float = 2.0
    jpeg_quality: int = 85


def _motion_blur(image: np.ndarray, length: float, angle: float) -> np.ndarray:
    steps = max(2, round(length))
    out = np.zeros_like(image)
    for t in np.linspace(-length / 2, length / 2, steps):
        dx, dy = round(t * np.cos(angle)), round(t * np.sin(angle))
        out += np.roll(image, (dy, dx), axis=(0, 1))
    return out / steps


def expose(radiance: np.ndarray, camera: Camera, rng: np.random.Generator) -> Image.Image:
    """Optics, sensor and encoder: radiance (0–255 = white at full exposure) → a JPEG frame."""
    optics = Image.fromarray(np.clip(radiance, 0, 255).astype(np.uint8))
    if camera.defocus > 0:
        optics = optics.filter(ImageFilter.GaussianBlur(camera.defocus))
    signal = np.asarray(optics, np.float32)
    if camera.motion[0] > 0:
        signal = _motion_blur(signal, *camera.motion)
    # electrons ∝ signal × light; shot noise ∝ √electrons; read noise fixed; the gain then
    # undoes the dim light, amplifying both
    full_scale = 40.0 * camera.light
    electrons = signal * full_scale
    noise = rng.standard_normal(signal.shape, np.float32) * np.sqrt(electrons + 1.0)
    noise += rng.standard_normal(signal.shape, np.float32) * (camera.read_noise * 40.0)
    gained = (electrons + noise) / full_scale
    frame = Image.fromarray(np.clip(gained, 0, 255).astype(np.uint8))
    buffer = io.BytesIO()
    frame.save(buffer, "JPEG", quality=camera.jpeg_quality)
    buffer.seek(0)
    with Image.open(buffer) as decoded:
        return decoded.convert("L")


def glare_spot(
    shape: tuple[int, int], center: tuple[float, float], radii: tuple[float, float], turn: float
) -> np.ndarray:
    """A ceiling light mirrored in glass or glossy paper: a bright, flat-topped ellipse."""
    height, width = shape
    yy, xx = np.mgrid[0:height, 0:width].astype(np.float32)
    dx, dy = xx - center[0], yy - center[1]
    a = (dx * np.cos(turn) + dy * np.sin(turn)) / radii[0]
    b = (-dx * np.sin(turn) + dy * np.cos(turn)) / radii[1]
    return np.exp(-((a * a + b * b) ** 2))  # super-Gaussian: flat top, soft edge
