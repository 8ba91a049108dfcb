"""Numbers in prose come from cells: every precise number a notebook's text states is printed or written by a cell.

What is in scope: every number in a notebook's markdown cells, outside solution
``<details>`` blocks, that has 3 or more significant digits (0.0692, 6.906,
255, 1,797) or is written in scientific notation (1e-2, 9.5 × 10^{-7},
$10^{-2}$). Each must appear in the same notebook's code cells or text outputs
(stream, text/plain, text/markdown, text/html), within the digits the prose
gives: prose 0.0692 is matched by an output 0.06921 (it rounds to 0.0692) but
not by 0.069; prose 9.5 × 10^{-7} by 9.54e-07. Signs are ignored (prose says
"falls by 0.278" where a cell prints -0.278), and a percentage also matches
its fraction (prose 12.5% matches 0.125).

Significant digits follow the usual convention: leading zeros never count,
trailing zeros count after a decimal point (6.90 has 3) and not in a whole
number without one (710 and 1000 have 2 and 1). So "6.9" and "x = 710" are out
of scope: a reader takes them as rounded.

Left out, on purpose (each would otherwise be a false alarm, not a number the
course computes):

* years: whole numbers from 1800 to 2099 with no decimal point ("Glorot &
  Bengio 2010"). A count in that range would be missed; none is expected;
* part of a name: a number glued to a letter or underscore before it
  (float16, int8, ReLU6, MobileNetV3, ex02_relu_family, GPT-2 is 1 digit anyway);
* versions: after "Python", "NumPy", "PyTorch", "TensorFlow", "Keras", "JAX",
  "SciPy", "Matplotlib", "ipywidgets", "JupyterLab", "version" or "v";
* citations' locators: arXiv identifiers, DOIs, "pp. 249-256", "p. 12";
* link targets, image paths, URLs and HTML tags (the visible link text stays in
  scope).

Section numbers, notebook numbers and slot times have at most 2 digits, so they
are out of scope by the digit rule, not by an exception. Pixel sizes (224x224)
stay in scope: they are claims about a model like any other number.

This test fails for a notebook whose prose quotes a number no cell shows: fix
the prose or print the number. Do not widen the exclusions to make it pass.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass

# ---------------------------------------------------------------- reading prose

_SOLUTION = re.compile(r"<details>\s*<summary>[^<]*solution[^<]*</summary>.*?</details>", re.I | re.S)
_LINK_TARGET = re.compile(r"(!?\[[^\]]*\])\([^)]*\)")      # keep the text, drop (target)
_URL = re.compile(r"(https?://|www\.)\S+")
_TAG = re.compile(r"<[^>]+>")
_LOCATOR = re.compile(r"arXiv:?\s*\d+\.\d+(v\d+)?|doi:\s*\S+|\b10\.\d{4,}/\S+|\bpp?\.\s*\d+(\s*[-–]\s*\d+)?", re.I)
_VERSION = re.compile(r"\b(?:(?:python|numpy|pytorch|torch|tensorflow|keras|jax|scipy|matplotlib|ipywidgets|"
                      r"jupyterlab|version)\s*|v)\d+(\.\d+)*", re.I)

_MINUS = "[-−–]"
_MANTISSA = r"\d+(?:\.\d+)?"
#: 9.5 × 10^{-7}, 9.5 \times 10^{-7}, 9.5·10^-7, 10^{-2}
_POWER = re.compile(rf"(?:({_MANTISSA})\s*(?:\\times|×|\\cdot|·|x)\s*)?10\^\{{?\s*({_MINUS}?\d+)\s*\}}?")
#: 1e-2, 1.5E+03
_E_NOTATION = re.compile(rf"(?<![\w.])({_MANTISSA})[eE]([-+−]?\d+)(?![\w.])")
#: plain numbers, with optional thousands separators: 0.0692, 1,797, 255, .5
_PLAIN = re.compile(r"(?<![\w.])(\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+\.\d+|\.\d+|\d+)(?![\d])(%?)")


@dataclass(frozen=True)
class ProseNumber:
    text: str        # as written
    value: float
    tolerance: float  # half a unit in the last digit written
    percent: bool
    cell: int

    def __str__(self):
        return f"{self.text} (cell {self.cell})"


def _decimals(mantissa: str) -> int:
    return len(mantissa.split(".")[1]) if "." in mantissa else 0


def significant_digits(text: str) -> int:
    """Significant digits of a plain decimal as written: 0.0692 -> 3, 6.90 -> 3, 710 -> 2, 15,150 -> 4."""
    digits = text.replace(",", "").lstrip("-−")
    if "." in digits:
        whole, frac = digits.split(".")
        stripped = (whole + frac).lstrip("0")
        return len(stripped)
    return len(digits.lstrip("0").rstrip("0")) or 1


def _is_year(text: str) -> bool:
    return re.fullmatch(r"\d{4}", text) is not None and 1800 <= int(text) <= 2099


def prose_text(source: str) -> str:
    """A markdown cell's text with solutions, link targets, URLs, tags, locators and versions removed."""
    text = _SOLUTION.sub(" ", source)
    text = _LINK_TARGET.sub(r"\1", text)
    for pattern in (_URL, _TAG, _LOCATOR, _VERSION):
        text = pattern.sub(" ", text)
    return text


def prose_numbers(source: str, cell: int = 0) -> list[ProseNumber]:
    """The in-scope numbers of one markdown cell (see the module docstring)."""
    text = prose_text(source)
    found = []

    def blank(match):  # so the plain-number pass does not see a scientific number's parts again
        return " " * (match.end() - match.start())

    for match in _POWER.finditer(text):
        mantissa, exponent = match.group(1) or "1", int(match.group(2).replace("−", "-").replace("–", "-"))
        scale = 10.0**exponent
        found.append(ProseNumber(match.group(0).strip(), float(mantissa) * scale,
                                 0.5 * 10.0 ** -_decimals(mantissa) * scale, False, cell))
    text = _POWER.sub(blank, text)
    for match in _E_NOTATION.finditer(text):
        mantissa, exponent = match.group(1), int(match.group(2).replace("−", "-"))
        scale = 10.0**exponent
        found.append(ProseNumber(match.group(0), float(mantissa) * scale,
                                 0.5 * 10.0 ** -_decimals(mantissa) * scale, False, cell))
    text = _E_NOTATION.sub(blank, text)
    for match in _PLAIN.finditer(text):
        written, percent = match.group(1), bool(match.group(2))
        if significant_digits(written) < 3 or _is_year(written):
            continue
        found.append(ProseNumber(written + match.group(2), float(written.replace(",", "")),
                                 0.5 * 10.0 ** -_decimals(written.replace(",", "")), percent, cell))
    return found


# ---------------------------------------------------------------- reading cells

_ANY_NUMBER = re.compile(r"(?<![\w.])(\d+(?:\.\d*)?|\.\d+)(?:[eE]([-+]?\d+))?")
_GROUPED = re.compile(r"(?<![\w.])\d{1,3}(?:,\d{3})+(?:\.\d+)?")


def _output_text(output) -> str:
    if output.get("output_type") == "stream":
        return "".join(output.get("text", ""))
    data = output.get("data", {})
    parts = []
    for kind in ("text/plain", "text/markdown", "text/html", "text/latex"):
        if kind in data:
            text = "".join(data[kind])
            parts.append(_TAG.sub(" ", text) if kind == "text/html" else text)
    return "\n".join(parts)


def cell_numbers(text: str) -> set[float]:
    """Every number written in a piece of code or output (absolute values; grouped thousands both ways)."""
    values = set()
    for match in _ANY_NUMBER.finditer(text):
        mantissa, exponent = match.group(1), match.group(2)
        values.add(float(mantissa) * (10.0 ** int(exponent) if exponent else 1.0))
    for match in _GROUPED.finditer(text):
        values.add(float(match.group(0).replace(",", "")))
    return values


def notebook_numbers(nb) -> list[float]:
    values = set()
    for cell in nb["cells"]:
        if cell["cell_type"] != "code":
            continue
        values |= cell_numbers("".join(cell["source"]))
        for output in cell.get("outputs", []):
            values |= cell_numbers(_output_text(output))
    return sorted(values)


def shown(number: ProseNumber, values: list[float]) -> bool:
    """True when a cell's number rounds to the prose's number (to the digits the prose gives)."""
    targets = [(abs(number.value), number.tolerance)]
    if number.percent:
        targets.append((abs(number.value) / 100, number.tolerance / 100))
    slack = 1e-9
    return any(abs(v - target) <= tol * (1 + slack) + 1e-300 for target, tol in targets for v in values)


def missing_numbers(path) -> list[ProseNumber]:
    nb = json.loads(path.read_text(encoding="utf-8"))
    values = notebook_numbers(nb)
    missing = []
    for i, cell in enumerate(nb["cells"]):
        if cell["cell_type"] == "markdown":
            missing += [n for n in prose_numbers("".join(cell["source"]), i) if not shown(n, values)]
    return missing


# ---------------------------------------------------------------- the rule's own tests


def test_significant_digits():
    assert [significant_digits(t) for t in ("0.0692", "6.90", "710", "15,150", "255", "6.9", "1000", "0.5")] == \
        [3, 3, 2, 4, 3, 2, 1, 1]


def test_prose_numbers_in_and_out_of_scope():
    md = ("The bound is 6.906 (Glorot & Bengio 2010, pp. 249-256; [paper](https://x.org/abs/1502.01852)), "
          "about 6.9 for eps = $10^{-3}$; float16 and ReLU6 are names; 1,797 images; gap 12.5%; "
          "$9.5 \\times 10^{-7}$ and 1e-9; NumPy 1.26.\n<details><summary>Solution</summary>0.1733</details>")
    assert [n.text for n in prose_numbers(md)] == ["10^{-3}", "9.5 \\times 10^{-7}", "1e-9", "6.906", "1,797",
                                                   "12.5%"]


def test_matching_uses_the_digits_the_prose_gives():
    [n] = prose_numbers("0.0692")
    assert shown(n, [0.06921]) and not shown(n, [0.069]) and not shown(n, [0.0693])
    [n] = prose_numbers("$9.5 \\times 10^{-7}$")
    assert shown(n, [9.5367e-7]) and not shown(n, [9.6e-7])
    [n] = prose_numbers("12.5%")
    assert shown(n, [0.125]) and shown(n, [12.5])
    [n] = prose_numbers("-0.278")
    assert shown(n, sorted(cell_numbers("min -0.2784 at x = -1.28")))
    assert cell_numbers("15,150 parameters, 1.2e-03") >= {15150.0, 0.0012}


# ---------------------------------------------------------------- the course


def test_prose_numbers_come_from_cells(notebook):
    missing = missing_numbers(notebook)
    listing = "\n".join(f"  cell {n.cell}: {n.text}" for n in missing)
    assert not missing, (f"{notebook.name}: {len(missing)} number(s) in the prose that no cell's code or text "
                         f"output shows (to the digits given):\n{listing}")
