"""A tiny PDF writer for test files (one page, Helvetica, one line per text line).

Real PDFs, written by hand: pypdf reads them like any other. Used to make
tests/data/good/hamstring.pdf and the broken variants the loader tests need.
"""
from __future__ import annotations


def _escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")


def make_pdf(lines: list[str], title: str | None = None) -> bytes:
    stream_lines = ["BT", "/F1 11 Tf", "14 TL", "50 800 Td"]
    for line in lines:
        stream_lines.append(f"({_escape(line)}) Tj T*")
    stream_lines.append("ET")
    stream = "\n".join(stream_lines).encode("latin-1")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length " + str(len(stream)).encode() + b" >>\nstream\n" + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    if title:
        objects.append(b"<< /Title (" + _escape(title).encode("latin-1") + b") >>")
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += f"{number} 0 obj\n".encode() + body + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    for offset in offsets:
        out += f"{offset:010d} 00000 n \n".encode()
    info = f" /Info {len(objects)} 0 R" if title else ""
    out += f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R{info} >>\nstartxref\n{xref}\n%%EOF\n".encode()
    return bytes(out)


HAMSTRING_LINES = [
    "Hamstring Strains in Runners",
    "",
    "A hamstring strain is a tear of the muscles at the back of the thigh. Sprinters and runners",
    "doing fast strides feel it most often.",
    "",
    "Common signs",
    "A hamstring strain usually starts with a sudden pull or grab at the back of the thigh during",
    "a fast effort.",
    "",
    "Getting back to running",
    "Most mild hamstring strains let a runner jog again within two to three weeks when the leg",
    "is strengthened with bridges and Nordic curls.",
]


if __name__ == "__main__":
    from pathlib import Path

    target = Path(__file__).parent / "data" / "good" / "hamstring.pdf"
    target.write_bytes(make_pdf(HAMSTRING_LINES))
    print(target)
