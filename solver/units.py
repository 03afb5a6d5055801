"""The package's one pint registry and the quantity types used by the catalog schema.

Every physical value in YAML is a string with a unit (``"1.2 kW"``, ``"44.45 mm"``,
``"200 Gbit/s"``). :func:`quantity_type` builds a pydantic field type that parses such a
string and checks its dimension; errors read ``'5 kW' is not a mass``.

Inside the CP-SAT model everything is an integer in a fixed unit; the helpers at the end
convert once, rounding *against* the design (usage up, limits down), so that a design the
integer model accepts also passes the exact check in floating point.
"""

from __future__ import annotations

import functools
import math
import re
import warnings
from typing import Annotated, Any

import pint
from pydantic import PlainSerializer, PlainValidator, WithJsonSchema
from pydantic_core import PydanticCustomError

ureg = pint.UnitRegistry(autoconvert_offset_to_baseunit=True, on_redefinition="warn")
# pint defines the bit as dimensionless; give information its own dimension so that
# "5 GB" is never accepted as a power and "200 Gbit/s" is never taken for a frequency.
with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    ureg.define("bit = [information] = b")
    # pint's dB is a logarithmic ratio; a channel's insertion losses add along the path,
    # so rackscale's dB is a linear "signal loss" dimension ("3.1 dB/m" x "1.2 m" = "3.7 dB").
    ureg.define("decibel = [signal_loss] = dB")
ureg._build_cache()  # recompute cached dimensionalities of byte, GiB, ... after redefining
ureg.define("FLOP = [operation] = flop")
ureg.define("OP = FLOP")
# A rack unit is not pint's U (that is the unified atomic mass unit).
ureg.define("rack_unit = 44.45 mm = RU")
ureg.define("open_unit = 48 mm = OU")
# money: prices, capex and cost per token ("3.1e6 USD", "0.08 USD/kWh")
ureg.define("USD = [currency] = usd")
COUNT_UNITS = ("port", "link", "node", "cable", "accelerator", "hop", "slot", "pair", "position")
"""Units that count things: a whole number of them is shown exactly."""
# dimensionless counting units, so that reports read "72 port" rather than a bare number
for _count in COUNT_UNITS:
    ureg.define(f"{_count} = []")
ureg.formatter.default_format = "~P"
pint.set_application_registry(ureg)  # quantities unpickle into this registry (worker processes)
Quantity = ureg.Quantity

# Dimension name -> pint dimensionality, for messages such as "'5 kW' is not a mass".
DIMENSIONS: dict[str, str] = {
    "power": "[power]",
    "mass": "[mass]",
    "length": "[length]",
    "area": "[area]",
    "volume": "[volume]",
    "time": "[time]",
    "temperature": "[temperature]",
    "bit rate": "[information] / [time]",
    "information": "[information]",
    "compute rate": "[operation] / [time]",
    "volume flow": "[volume] / [time]",
    "density": "[mass] / [volume]",
    "linear density": "[mass] / [length]",
    "specific heat": "[energy] / [mass] / [temperature]",
    "voltage": "[electric_potential]",
    "current": "[current]",
    "areal load": "[mass] / [area]",
    "force": "[force]",
    "frequency": "1 / [time]",
    "signal loss": "[signal_loss]",
    "loss per length": "[signal_loss] / [length]",
    "price": "[currency]",
    "energy price": "[currency] / [energy]",
    "price per power": "[currency] / [power]",
}

STANDARD_GRAVITY = Quantity(9.80665, "m/s^2")

# One example value per dimension, for JSON Schema descriptions ("a mass, e.g. '1360 kg'").
EXAMPLES: dict[str, str] = {
    "power": "1.2 kW",
    "mass": "1360 kg",
    "length": "44.45 mm",
    "area": "900 cm^2",
    "volume": "2 L",
    "time": "4 year",
    "temperature": "45 degC",
    "bit rate": "200 Gbit/s",
    "information": "192 GB",
    "compute rate": "2.25 PFLOP/s",
    "volume flow": "220 l/min",
    "density": "1030 kg/m^3",
    "linear density": "45 g/m",
    "specific heat": "3.8 kJ/kg/K",
    "voltage": "48 V",
    "current": "2900 A",
    "areal load": "1500 kg/m^2",
    "force": "1250 lbf",
    "frequency": "53.125 GHz",
    "signal loss": "3.1 dB",
    "loss per length": "3.1 dB/m",
    "price": "3.1e6 USD",
    "energy price": "0.08 USD/kWh",
    "price per power": "11.7e6 USD/MW",
}
QUANTITY_PATTERN = r"^\s*[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?\s*[^\s\d.+-].*$"
"""JSON Schema pattern of a quantity string: a number, then a unit."""

# --- bounds that keep the CP-SAT model inside int64 ---------------------------------------

MODEL_UNITS: dict[str, str] = {
    "power": "W",
    "mass": "hg",
    "length": "um",
    "area": "um^2",
    "linear density": "mg/m",
}
"""The fixed integer unit of each dimension inside the model (:mod:`solver.integers`)."""

MODEL_INT_LIMIT = 2**62
"""CP-SAT's bound on a variable's domain and on a linear expression's range (int64 / 2)."""

LIMIT_CAP = 10**15
"""Limits (what a site or part allows) beyond this, in a model unit, are lowered to it."""

WHY_BOUNDS = "larger values overflow the solver's integers"
MAXIMA: dict[str, pint.Quantity] = {
    name: Quantity(text)
    for name, text in {
        # dimensions with a model unit: images of at most 1e9 W, 1e7 hg, 1e10 um, 1e14 um^2,
        # 1e7 mg/m
        "power": "1 GW",
        "mass": "1000 t",
        "length": "10 km",
        "area": "100 m^2",
        "linear density": "10 kg/m",
        # the others reach the model through products (V x A, flow x density x heat x K)
        "volume": "1e6 L",
        "time": "1000 year",
        "temperature": "10000 K",
        "bit rate": "1e18 bit/s",
        "information": "1e21 byte",
        "compute rate": "1e21 FLOP/s",
        "volume flow": "1000 m^3/s",
        "density": "1e5 kg/m^3",
        "specific heat": "1e6 J/kg/K",
        "voltage": "1 MV",
        "current": "1 MA",
        "areal load": "1e6 kg/m^2",
        "force": "1e9 N",
        "frequency": "1e15 Hz",
        "signal loss": "10000 dB",
        "loss per length": "1e6 dB/m",
        "price": "1e15 USD",
        "energy price": "1e6 USD/kWh",
        "price per power": "1e9 USD/W",
    }.items()
}
"""Largest magnitude accepted per dimension, refused at load with the bound stated.

Derived from the model's fixed units: a coefficient's image (1e9 W, 1e7 hg, 1e10 µm,
1e14 µm², 1e7 mg/m at most) times the largest count the model lets multiply it (a few
times 1e8 cables for counts at :data:`solver.schema.MAX_COUNT`) stays below
:data:`MODEL_INT_LIMIT`. The weight family multiplies run lengths by mass per length (one
cable's mass, in mg, then times the count), so the fields a run adds up carry tighter bounds
(``quantity_type(..., maximum=...)``), checked against CP-SAT's overflow check each alone
and all at once (tests/test_fuzz.py)."""


def article(noun: str) -> str:
    """``noun`` with its indefinite article: "a mass", "an energy price"."""
    return f"{'an' if noun[0] in 'aeiou' else 'a'} {noun}"


MAX_TEXT = 100
"""Longest quantity text accepted (pint's parser is not meant for pages of arithmetic)."""
_EXPONENT = re.compile(r"(\*\*|\^)\s*(?P<base>[-+]?\d{1,3}(\.\d+)?(?![\d.]))?")
_CHAINED = re.compile(r"(\*\*|\^)\s*[-+]?[\d.]+\s*(\*\*|\^)")


def read_quantity(text: str, expected: str) -> pint.Quantity | float:
    """Parse ``text`` with pint, refusing what pint would hang or overflow on.

    Exponents must be plain numbers of at most three digits and not chained (``10**10**10``
    would take pint minutes); the magnitude must be a finite float. ``expected`` ("a mass")
    ends each message. Raises ``ValueError``.
    """
    if len(text) > MAX_TEXT:
        raise ValueError(f"{len(text)} characters; expected {expected} in at most {MAX_TEXT}")
    if any(m.group("base") is None for m in _EXPONENT.finditer(text)) or _CHAINED.search(text):
        raise ValueError(
            f"{text!r}: exponents must be plain numbers of at most 3 digits, not chained; "
            f"expected {expected}"
        )
    try:
        value = ureg.Quantity(text)
    except pint.UndefinedUnitError as exc:
        names = exc.unit_names if isinstance(exc.unit_names, str) else ", ".join(exc.unit_names)
        raise ValueError(f"{text!r}: unknown unit '{names}'; expected {expected}") from None
    except Exception:  # pint's parser raises several unrelated exception types
        raise ValueError(f"{text!r} is not a quantity; expected {expected}") from None
    magnitude = value.magnitude if isinstance(value, pint.Quantity) else value
    try:
        finite = math.isfinite(float(magnitude))
    except (OverflowError, TypeError, ValueError):
        finite = False
    if not finite:
        raise ValueError(f"{text!r} is not a finite number within float range; expected {expected}")
    return value


def parse_quantity(text: Any, dimension: str) -> pint.Quantity:
    """Parse ``text`` (a string with a unit) and check it has ``dimension``.

    Raises ``ValueError`` with a message fit for a one-line error.
    """
    if isinstance(text, bool) or not isinstance(text, str):
        raise ValueError(
            f"expected {article(dimension)} as a string with a unit, got {shown(text)}"
        )
    return _parse_quantity(text, dimension)


@functools.lru_cache(maxsize=8192)
def _parse_quantity(text: str, dimension: str) -> pint.Quantity:
    """:func:`parse_quantity` of a string, kept per (text, dimension): catalogs repeat their
    figures, and a sweep reloads a profile per point (pint's parser is the slow part)."""
    expected = article(dimension)
    value = read_quantity(text, expected)
    if not isinstance(value, pint.Quantity) or value.unitless:
        raise ValueError(f"{text!r} has no unit; expected {expected}")
    if dimension == "areal load" and value.check("[pressure]"):
        value = (value / STANDARD_GRAVITY).to("kg/m^2")  # "25 kPa" of floor rating
    if dimension == "temperature" and value.check("[temperature]"):
        if value.to("K").magnitude < 0:
            raise ValueError(f"{text!r} is below absolute zero")
    elif not value.check(DIMENSIONS[dimension]):
        raise ValueError(f"{text!r} is not {expected}")
    bound = MAXIMA[dimension]
    if abs(value.to(bound.units).magnitude) > bound.magnitude:
        raise ValueError(f"{text!r} exceeds the bound of {bound:~P} for {expected} ({WHY_BOUNDS})")
    return value


def shown(value: Any) -> str:
    """``repr`` of an input value, cut short (a 400-digit integer is not worth printing)."""
    if isinstance(value, int) and not isinstance(value, bool) and abs(value) >= 10**30:
        digits = math.floor(math.log10(abs(value))) + 1
        digits -= 10 ** (digits - 1) > abs(value)  # log10 rounds 10**500 - 1 up to 500
        return f"a {digits}-digit integer"
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def _validator(dimension: str, minimum: str, maximum: pint.Quantity | None):
    def validate(text: Any) -> pint.Quantity:
        try:
            value = parse_quantity(text, dimension)
        except ValueError as exc:
            raise PydanticCustomError("quantity", str(exc)) from None
        if minimum == "positive" and value.magnitude <= 0:
            raise PydanticCustomError("quantity", f"{text!r} must be greater than zero")
        if minimum == "nonnegative" and value.magnitude < 0:
            raise PydanticCustomError("quantity", f"{text!r} must not be negative")
        if maximum is not None and abs(value) > maximum:
            raise PydanticCustomError(
                "quantity", f"{text!r} exceeds the bound of {maximum:~P} ({WHY_BOUNDS})"
            )
        return value

    return validate


def quantity_type(dimension: str, minimum: str = "positive", maximum: str | None = None) -> Any:
    """A pydantic field type: a string with a unit of ``dimension``, parsed to a Quantity.

    ``minimum`` is ``"positive"`` (default), ``"nonnegative"`` or ``"any"``; ``maximum``
    (e.g. ``"1 m"``) is a bound tighter than the dimension's :data:`MAXIMA`.
    """
    if dimension not in DIMENSIONS:
        raise KeyError(dimension)
    bound = Quantity(maximum) if maximum is not None else None
    return Annotated[
        pint.Quantity,
        PlainValidator(_validator(dimension, minimum, bound)),
        PlainSerializer(format_quantity, return_type=str),
        WithJsonSchema(quantity_json_schema(dimension, minimum)),
    ]


def quantity_json_schema(dimension: str, minimum: str = "positive") -> dict[str, str]:
    """JSON Schema of a quantity field: a string, a number then a unit, its dimension named
    (``x-quantity`` keeps that phrase where a field's docstring replaces the description)."""
    bound = {"positive": ", greater than zero", "nonnegative": ", zero or more"}.get(minimum, "")
    phrase = f"{article(dimension)}{bound}, e.g. '{EXAMPLES[dimension]}'"
    return {
        "type": "string",
        "pattern": QUANTITY_PATTERN,
        "description": phrase,
        "x-quantity": phrase,
    }


DISPLAY_DIGITS: dict[str, int] = {"price": 3, "energy price": 3, "price per power": 3}
"""Significant digits shown per dimension (:data:`DIMENSIONS`), where not the default 4:
catalog figures carry two to four; prices are quotes and estimates, good to a few %."""


def format_quantity(value: pint.Quantity, digits: int | None = None) -> str:
    """A quantity for display, e.g. ``'119.1 kW'`` for 119.07216494845359 kW: the one
    place where presentation rounds. ``digits`` significant digits (default: by dimension,
    :data:`DISPLAY_DIGITS`, else 4), large values written out (``'31500 m'``, never
    ``'3.15e+04 m'``), whole counts exact (``'5184 cable'``). The value is not changed."""
    magnitude = float(value.magnitude)
    unit = f"{value.units:~P}"
    if str(value.units) in COUNT_UNITS and magnitude.is_integer():
        return f"{int(magnitude)} {unit}"
    if digits is None:
        digits = next(
            (DISPLAY_DIGITS[name] for name in DISPLAY_DIGITS if value.check(DIMENSIONS[name])), 4
        )
    if math.isfinite(magnitude) and abs(magnitude) >= 10**digits:
        exponent = math.floor(math.log10(abs(magnitude)))
        return f"{round(magnitude, digits - 1 - exponent):.0f} {unit}"
    return f"{magnitude:.{digits}g} {unit}"


# --- integer conversion for the CP-SAT model ---------------------------------------------


def usage_int(value: pint.Quantity, unit: str) -> int:
    """Magnitude in ``unit``, rounded up: used for what a design consumes."""
    return math.ceil(_magnitude_in(value, unit) - 1e-9)


def limit_int(value: pint.Quantity, unit: str) -> int:
    """Magnitude in ``unit``, rounded down: used for what a site or rack allows.

    A limit beyond :data:`LIMIT_CAP` is lowered to it: no usage the model can express comes
    near it, and lowering a limit only ever errs against the design.
    """
    return min(LIMIT_CAP, math.floor(_magnitude_in(value, unit) + 1e-9))


def _magnitude_in(value: pint.Quantity, unit: str) -> float:
    """``value.to(unit).magnitude``, bit for bit, without pint's unit parsing per call (a
    sweep converts every point's limits): the factor is kept per pair of units."""
    factor = _factor(value.units, unit)
    return value.to(unit).magnitude if factor is None else value.magnitude * factor


@functools.lru_cache(maxsize=1024)
def _factor(units: pint.Unit, unit: str) -> float | None:
    """What pint multiplies by to convert ``units`` to ``unit``; None for offset units
    (degC, degF), which it does not convert by a factor."""
    if Quantity(0, units).to(unit).magnitude != 0:
        return None
    return Quantity(1, units).to(unit).magnitude


# Convenience typed fields used by the schema.
Power = quantity_type("power")
PowerOrZero = quantity_type("power", "nonnegative")
Mass = quantity_type("mass")
MassOrZero = quantity_type("mass", "nonnegative")
Length = quantity_type("length")
LengthOrZero = quantity_type("length", "nonnegative")
Area = quantity_type("area")
Volume = quantity_type("volume")
VolumeOrZero = quantity_type("volume", "nonnegative")
Time = quantity_type("time")
Temperature = quantity_type("temperature", "any")
BitRate = quantity_type("bit rate")
Information = quantity_type("information")
ComputeRate = quantity_type("compute rate")
VolumeFlow = quantity_type("volume flow")
VolumeFlowOrZero = quantity_type("volume flow", "nonnegative")
Density = quantity_type("density")
LinearDensity = quantity_type("linear density")
SpecificHeat = quantity_type("specific heat")
Voltage = quantity_type("voltage")
Current = quantity_type("current")
ArealLoad = quantity_type("areal load")
Force = quantity_type("force")
Frequency = quantity_type("frequency")
Loss = quantity_type("signal loss")
LossOrZero = quantity_type("signal loss", "nonnegative")
LossPerLength = quantity_type("loss per length")
Money = quantity_type("price")
EnergyPrice = quantity_type("energy price")
MoneyPerPower = quantity_type("price per power")
