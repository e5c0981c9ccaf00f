"""The demo's evidence, drawn in code so the repository holds no binary files.

A photo of a damaged gate, a screenshot of a social-media post, a voicemail
transcript as PDF and a head-and-shoulders photo for the ban register. Each
comes back as an upload, so the demo adds it through the services' checks.
"""

import io
from functools import lru_cache

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image, ImageDraw, ImageFilter, ImageFont

_FONT_DIR = "/usr/share/fonts/truetype/dejavu/"


@lru_cache(maxsize=16)
def _font(size, bold=False):
    name = "DejaVuSans-Bold.ttf" if bold else "DejaVuSans.ttf"
    try:
        return ImageFont.truetype(_FONT_DIR + name, size)
    except OSError:
        # Without Debian's fonts, Pillow's own scalable font still draws readable text.
        return ImageFont.load_default(size=size)


def _upload(image, name, fmt="PNG", content_type="image/png", **save_args):
    buffer = io.BytesIO()
    image.save(buffer, fmt, **save_args)
    return SimpleUploadedFile(name, buffer.getvalue(), content_type=content_type)


def gate_photo(name="main-gate-damage.jpg"):
    """A phone photo of the main gate: railings, one bar bent, the latch hanging off."""
    width, height = 960, 720
    image = Image.new("RGB", (width, height), (170, 196, 222))
    draw = ImageDraw.Draw(image)
    for y in range(0, 300):  # a pale sky
        shade = 200 + y // 12
        draw.line([(0, y), (width, y)], fill=(shade - 40, shade - 15, min(255, shade + 20)))
    draw.rectangle([0, 300, width, 470], fill=(150, 58, 48))  # the brick wall behind
    for row in range(300, 470, 24):
        offset = 0 if (row // 24) % 2 else 36
        for x in range(-offset, width, 72):
            draw.rectangle([x, row, x + 70, row + 22], outline=(120, 45, 38), width=2)
    draw.rectangle([0, 470, width, height], fill=(96, 96, 100))  # tarmac
    for x in range(0, width, 5):
        draw.point((x, 480 + (x * 37) % 230), fill=(120, 120, 124))
    # The gate: a frame, railings, one railing bent outwards, the latch broken.
    green, dark = (32, 84, 52), (20, 52, 32)
    draw.rectangle([180, 190, 780, 210], fill=green)
    draw.rectangle([180, 560, 780, 580], fill=green)
    for x in range(200, 780, 48):
        if x == 440:
            draw.line([(x, 210), (x + 30, 380), (x + 8, 560)], fill=dark, width=12)
        else:
            draw.rectangle([x, 170, x + 10, 580], fill=green)
            draw.polygon([(x - 4, 172), (x + 5, 150), (x + 14, 172)], fill=green)
    draw.rectangle([780, 160, 812, 600], fill=(60, 60, 64))  # the gate post
    draw.rectangle([730, 360, 790, 392], fill=(150, 150, 40))  # the latch, hanging off
    draw.line([(760, 392), (748, 430)], fill=(150, 150, 40), width=6)
    draw.ellipse([540, 600, 600, 630], fill=(70, 70, 74))  # a dent's shadow on the ground
    image = image.filter(ImageFilter.GaussianBlur(0.8))
    draw = ImageDraw.Draw(image)
    draw.rectangle([0, height - 44, width, height], fill=(0, 0, 0))
    draw.text((16, height - 36), "Main gate, photographed by the site manager after the incident",
              fill=(255, 255, 255), font=_font(22))
    return _upload(image, name, "JPEG", "image/jpeg", quality=82)


def post_screenshot(*, author, group, text, when, name="facebook-post.png"):
    """A phone screenshot of a post in a parents' group, as a parent forwarded it."""
    width, height = 720, 1000
    image = Image.new("RGB", (width, height), (240, 242, 245))
    draw = ImageDraw.Draw(image)
    draw.rectangle([0, 0, width, 70], fill=(24, 119, 242))
    draw.text((24, 20), group, fill=(255, 255, 255), font=_font(26, bold=True))
    draw.rounded_rectangle([20, 96, width - 20, height - 20], radius=18, fill=(255, 255, 255))
    draw.ellipse([44, 120, 112, 188], fill=(180, 186, 196))
    draw.text((66, 136), author[0], fill=(255, 255, 255), font=_font(30, bold=True))
    draw.text((128, 126), author, fill=(5, 5, 5), font=_font(26, bold=True))
    draw.text((128, 160), f"{when} · Members only", fill=(101, 103, 107), font=_font(20))
    y = 220
    for line in _wrap(draw, text, _font(27), width - 100):
        draw.text((48, y), line, fill=(5, 5, 5), font=_font(27))
        y += 40
    y += 20
    draw.line([(44, y), (width - 44, y)], fill=(218, 220, 225), width=2)
    draw.text((48, y + 18), "23 likes     41 comments     6 shares", fill=(101, 103, 107), font=_font(22))
    y += 70
    for commenter, comment in (("Sarah W", "Naming a teacher on here isn't fair."),
                               ("Dave P", "Agree, my lad had the same last year")):
        draw.rounded_rectangle([48, y, width - 48, y + 76], radius=14, fill=(240, 242, 245))
        draw.text((64, y + 8), commenter, fill=(5, 5, 5), font=_font(20, bold=True))
        draw.text((64, y + 38), comment, fill=(5, 5, 5), font=_font(21))
        y += 92
    # Cut to the card's content, as a phone screenshot of one post would be.
    image = image.crop((0, 0, width, y + 24))
    ImageDraw.Draw(image).rectangle([20, y + 4, width - 20, y + 24], fill=(240, 242, 245))
    return _upload(image, name)


def _wrap(draw, text, font, width):
    lines, line = [], ""
    for word in text.split():
        candidate = f"{line} {word}".strip()
        if draw.textlength(candidate, font=font) <= width:
            line = candidate
        else:
            lines.append(line)
            line = word
    return lines + [line] if line else lines


def person_photo(*, name="photo.jpg", shirt=(52, 84, 140)):
    """A plain head-and-shoulders picture, as reception might take, with no real face in it."""
    image = Image.new("RGB", (360, 450), (214, 220, 226))
    draw = ImageDraw.Draw(image)
    draw.ellipse([40, 300, 320, 560], fill=shirt)
    draw.rectangle([150, 250, 210, 320], fill=(224, 180, 150))
    draw.ellipse([96, 72, 264, 236], fill=(70, 50, 40))  # hair, behind the face
    draw.ellipse([105, 96, 255, 270], fill=(232, 190, 160))
    draw.chord([104, 80, 256, 170], 180, 360, fill=(70, 50, 40))  # the fringe
    return _upload(image, name, "JPEG", "image/jpeg", quality=85)


def voicemail_transcript(*, school, reference, caller, received, duration, lines, typed_by,
                         name="voicemail-transcript.pdf"):
    """The office's typed transcript of a voicemail, as a PDF from the one renderer."""
    from sanctions.letters.rendering import render_pdf

    pdf = render_pdf("demo/voicemail_transcript.html", {
        "school": school, "reference": reference, "caller": caller, "received": received, "duration": duration,
        "lines": lines, "typed_by": typed_by,
    })
    return SimpleUploadedFile(name, pdf, content_type="application/pdf")
