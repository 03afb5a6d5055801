"""The package's one pint registry and the quantity types used by the catalog schema.

Every physical value in YAML is a string with a unit (``"1.2 kW"``, ``"44.45 mm"``,
``"200 Gbit/s"``). :func:`quantity_type` builds a pydantic field type that parses such a
string and checks its dimension; errors read ``'5 kW' is not a mass``.

Inside the CP-SAT model everything is an integer in a fixed unit; the helpers at the end
convert once, rounding *against* the design (usage up, limits down), so that a design the
integer model accepts also passes the exact check in floating point.
"""

from __future__ import annotations

import math
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
COUNT_UNITS = ("port", "link", "node", "cable", "accelerator", "hop", "slot", "pair")
"""Units that count things: a whole number of them is shown exactly."""
# dimensionless counting units, so that reports read "72 port" rather than a bare number
for _count in COUNT_UNITS:
    ureg.define(f"{_count} = []")
ureg.formatter.default_format = "~P"
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


def article(noun: str) -> str:
    """``noun`` with its indefinite article: "a mass", "an energy price"."""
    return f"{'an' if noun[0] in 'aeiou' else 'a'} {noun}"


def parse_quantity(text: Any, dimension: str) -> pint.Quantity:
    """Parse ``text`` (a string with a unit) and check it has ``dimension``.

    Raises ``ValueError`` with a message fit for a one-line error.
    """
    if isinstance(text, bool) or not isinstance(text, str):
        raise ValueError(f"expected {article(dimension)} as a string with a unit, got {text!r}")
    try:
        value = ureg.Quantity(text)
    except pint.UndefinedUnitError as exc:
        names = exc.unit_names if isinstance(exc.unit_names, str) else ", ".join(exc.unit_names)
        expected = article(dimension)
        raise ValueError(f"{text!r}: unknown unit '{names}'; expected {expected}") from None
    except Exception:  # pint's parser raises several unrelated exception types
        raise ValueError(f"{text!r} is not a quantity; expected {article(dimension)}") from None
    if not isinstance(value, pint.Quantity) or value.unitless:
        raise ValueError(f"{text!r} has no unit; expected {article(dimension)}")
    if dimension == "areal load" and value.check("[pressure]"):
        value = (value / STANDARD_GRAVITY).to("kg/m^2")  # "25 kPa" of floor rating
    if dimension == "temperature" and value.check("[temperature]"):
        return value
    if not value.check(DIMENSIONS[dimension]):
        raise ValueError(f"{text!r} is not {article(dimension)}")
    if not math.isfinite(value.magnitude):
        raise ValueError(f"{text!r} is not a finite {dimension}")
    return value


def _validator(dimension: str, minimum: str):
    def validate(text: Any) -> pint.Quantity:
        try:
            value = parse_quantity(text, dimension)
        except ValueError as exc:
            raise PydanticCustomError("quantity", str(exc)) from None
        if minimum == "positive" and value.magnitude <= 0:
            raise PydanticCustomError("quantity", f"{text!r} must be greater than zero")
        if minimum == "nonnegative" and value.magnitude < 0:
            raise PydanticCustomError("quantity", f"{text!r} must not be negative")
        return value

    return validate


def quantity_type(dimension: str, minimum: str = "positive") -> Any:
    """A pydantic field type: a string with a unit of ``dimension``, parsed to a Quantity.

    ``minimum`` is ``"positive"`` (default), ``"nonnegative"`` or ``"any"``.
    """
    if dimension not in DIMENSIONS:
        raise KeyError(dimension)
    return Annotated[
        pint.Quantity,
        PlainValidator(_validator(dimension, minimum)),
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
    return math.ceil(value.to(unit).magnitude - 1e-9)


def limit_int(value: pint.Quantity, unit: str) -> int:
    """Magnitude in ``unit``, rounded down: used for what a site or rack allows."""
    return math.floor(value.to(unit).magnitude + 1e-9)


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
