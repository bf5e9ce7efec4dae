"""Pictures drawn for the demo: landscapes and halls made of shapes, no photographs of anyone."""

import hashlib
import io
import random

from django.core.files.base import ContentFile
from PIL import Image, ImageDraw

PALETTES = [
    ((179, 36, 29), (250, 236, 235), (120, 150, 110)),
    ((140, 28, 22), (245, 240, 226), (90, 130, 160)),
    ((196, 80, 40), (255, 248, 230), (70, 120, 90)),
    ((110, 21, 16), (236, 230, 220), (150, 110, 70)),
]


def drawn_picture(seed: str, size=(960, 640), kind="landscape") -> ContentFile:
    rng = random.Random(seed)  # noqa: S311 - decoration, not security
    accent, sky, ground = rng.choice(PALETTES)
    width, height = size
    image = Image.new("RGB", size, sky)
    draw = ImageDraw.Draw(image)
    for band in range(12):  # a soft sky gradient
        shade = tuple(max(0, channel - band * 4) for channel in sky)
        draw.rectangle([0, band * height // 24, width, (band + 1) * height // 24], fill=shade)
    draw.ellipse([width * 0.72, height * 0.08, width * 0.86, height * 0.29], fill=(250, 200, 80))
    for layer in range(3):  # hills
        base_y = height * (0.55 + layer * 0.1)
        points = [(0, height)]
        for step in range(9):
            points.append((width * step / 8, base_y - rng.uniform(0, height * 0.18)))
        points.append((width, height))
        colour = tuple(max(0, channel - layer * 25) for channel in ground)
        draw.polygon(points, fill=colour)
    if kind == "hall":  # a pavilion with red pillars
        left, right, top = width * 0.25, width * 0.75, height * 0.38
        draw.polygon([(left - 60, top), (width / 2, top - 120), (right + 60, top)], fill=accent)
        draw.rectangle([left, top, right, height * 0.82], fill=(245, 240, 230))
        for pillar in range(5):
            x = left + (right - left) * pillar / 4
            draw.rectangle([x - 12, top, x + 12, height * 0.82], fill=accent)
    elif kind == "wall":  # a culture wall with panels
        draw.rectangle(
            [width * 0.08, height * 0.3, width * 0.92, height * 0.8], fill=(250, 250, 245), outline=accent, width=10
        )
        for panel in range(4):
            x = width * (0.12 + panel * 0.2)
            draw.rectangle([x, height * 0.36, x + width * 0.16, height * 0.74], fill=accent)
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=82)
    return ContentFile(buffer.getvalue(), name=f"demo-{hashlib.sha256(seed.encode()).hexdigest()[:12]}.jpg")
