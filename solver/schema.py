"""Schema of catalog and constraint-profile YAML: frozen pydantic models, unknown keys refused.

A catalog file holds one or more top-level lists (``accelerators:``, ``racks:`` ...), each
entry with an ``id``, a ``name``, its figures (strings with units) and a ``source``. Fields
whose value is an engineering estimate are listed in ``estimates``. A constraint profile
file holds one ``profile:`` mapping. Field docstrings are the reference for catalog authors.
"""

from __future__ import annotations

import math
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from solver import units as u
from solver.physics.power import carrying_units

Slug = str
MAX_COUNT = 256
"""Bound on a count the model multiplies by others (slots, accelerators per tray, pairs per
cable, chips ...): 5x or more the largest shipped, so the model's products of counts and
coefficients stay inside CP-SAT's int64 (see ``solver.units.MAXIMA``)."""
MAX_NUMBER = 1e18
"""Bound on any other plain number (parameter counts, context lengths)."""
FormFactor = Literal["eia-19", "ocp-21", "orw", "blade"]
"""Tray widths: 19-inch EIA, 21-inch Open Rack, the double-wide Open Rack Wide bay, and a
vertical blade of a blade chassis (Kyber-class)."""


class Strict(BaseModel):
    """Base model: frozen, unknown keys refused."""

    model_config = ConfigDict(
        extra="forbid",
        frozen=True,
        arbitrary_types_allowed=True,
        validate_default=True,
        use_attribute_docstrings=True,
        allow_inf_nan=False,
    )

    @field_validator("*", mode="after")
    @classmethod
    def _numbers_bounded(cls, value):
        """No plain number beyond :data:`MAX_NUMBER` (floats and budgets would overflow)."""
        number = isinstance(value, int | float) and not isinstance(value, bool)
        if number and abs(value) > MAX_NUMBER:
            raise ValueError(f"{u.shown(value)} exceeds the bound of {MAX_NUMBER:.0e}")
        return value


class Sourced(Strict):
    """Common fields of every catalog entry."""

    id: Slug = Field(pattern=r"^[a-z0-9][a-z0-9.+-]*$")
    """Stable identifier, lower-case, used by ``--pin`` and in results."""
    name: str
    """Human-readable name."""
    source: str = Field(min_length=3)
    """Where the figures come from (URL or document), with its source key where it has one."""
    estimates: tuple[str, ...] = ()
    """Names of fields whose values are engineering estimates rather than published."""
    notes: str = ""

    @model_validator(mode="after")
    def _estimates_name_fields(self):
        known = set(type(self).model_fields)
        unknown = [name for name in self.estimates if name.split(".")[0] not in known]
        if unknown:
            raise ValueError(f"estimates names unknown fields {unknown}")
        return self


class ScaleUp(Strict):
    """An accelerator's scale-up (all-to-all) fabric interface."""

    fabric: Slug
    """Fabric generation; switches must carry the same fabric (e.g. ``nvlink5``)."""
    topology: Literal["switched", "mesh", "torus", "dragonfly", "none"]
    """How a domain is wired: through switch chips, as a full mesh, as a torus, as a
    switchless dragonfly of fully meshed nodes (Groq C2C), or not at all."""
    links: int = Field(ge=0, le=1024)
    """Scale-up links per accelerator."""
    lanes_per_link: int = Field(ge=1, le=64)
    """Lanes per link per direction (one differential pair each)."""
    lane_rate: u.BitRate
    """Signalling rate of one lane (e.g. ``"200 Gbit/s"`` for 224G PAM4)."""
    bandwidth: u.BitRate
    """Published scale-up bandwidth per accelerator, per direction."""
    torus_dimensions: int = Field(default=0, ge=0, le=6)
    """Dimensions of the torus (3 for TPU, 2 for Trainium2); 0 unless ``topology: torus``."""
    simultaneous_bidirectional: bool = False
    """Each lane's pair carries both directions at once (echo-cancelled SerDes), so a link
    needs ``lanes_per_link`` pairs instead of twice that."""
    latency: u.quantity_type("time") | None = None
    """One-hop accelerator-to-accelerator latency, where published."""
    max_domain: int | None = Field(default=None, ge=1, le=2**20)
    """Largest domain the fabric can address (NVLink 5: 576; a TPU v4 pod: 4,096), where the
    vendor states one."""
    torus_block: tuple[Annotated[int, Field(ge=1, le=64)], ...] = ()
    """Shape of the fixed torus block a domain is built of (TPU: ``[4, 4, 4]``, one per
    rack): a rack holds whole blocks only, and every link on a block's faces (its
    wrap-around links) leaves through optics, to ``ocs`` or to the next block. Empty: the
    torus takes any shape."""
    ocs: Slug | None = None
    """Id of the ``optical_switches`` entry the block faces connect through (TPU pods)."""
    group_size: int = Field(default=0, ge=0, le=1024)
    """Chips in one dragonfly group: a node whose chips are fully connected on its board
    (GroqNode: 8); 0 unless ``topology: dragonfly``."""
    global_links: int | None = Field(default=None, ge=1, le=1024)
    """Links per chip that leave its group to join other groups (dragonfly; Groq: 4 global
    ports per chip); absent: every link the group's full mesh leaves free."""

    @model_validator(mode="after")
    def _torus_needs_dimensions(self):
        if self.topology == "torus" and not 1 <= self.torus_dimensions <= self.links // 2:
            raise ValueError("a torus needs 1 <= torus_dimensions <= links / 2")
        if self.torus_block and (
            self.topology != "torus"
            or len(self.torus_block) != self.torus_dimensions
            or min(self.torus_block) < 1
        ):
            raise ValueError("torus_block needs a torus and one side >= 1 per dimension")
        if self.ocs is not None and not self.torus_block:
            raise ValueError("ocs joins fixed torus blocks: give torus_block too")
        if self.topology == "dragonfly":
            spare = self.links - (self.group_size - 1)
            if self.group_size < 2 or spare < 1:
                raise ValueError("a dragonfly needs 2 <= group_size <= links")
            if self.global_links is not None and self.global_links > spare:
                raise ValueError(
                    f"global_links {self.global_links} exceeds the {spare} links per chip "
                    f"the group's full mesh leaves free (links - (group_size - 1))"
                )
        elif self.group_size or self.global_links is not None:
            raise ValueError("group_size and global_links apply to topology: dragonfly only")
        return self


class Accelerator(Sourced):
    """One accelerator package (GPU, TPU, LPU ...). Compute figures are dense."""

    vendor: str
    year: int = Field(ge=2010, le=2035)
    power: u.Power
    """Thermal design power of one accelerator."""
    memory: u.Information
    memory_bandwidth: u.quantity_type("bit rate")
    dense_bf16: u.ComputeRate
    """Dense BF16/FP16 tensor throughput (not the 2:4 sparse marketing figure)."""
    dense_fp8: u.ComputeRate | None = None
    dense_fp4: u.ComputeRate | None = None
    layer_latency: u.quantity_type("time") | None = None
    """Per-layer floor of single-user decoding that memory and compute do not hide (kernel
    launches, synchronisation); say in ``notes`` which published speed calibrates it."""
    scale_up: ScaleUp
    scale_out_bandwidth: u.BitRate
    """Scale-out (NIC) bandwidth per accelerator, per direction."""
    transient_factor: float = Field(default=1.0, ge=1, le=3)
    """Peak ÷ steady power of a rack of these accelerators (load steps of training and
    inference); power shelves are sized on the peak. 1 where nothing is published."""


class OutsideChips(Strict):
    """Accelerators a tray carries outside the scale-up domain (Rubin CPX on PCIe only):
    they draw power and are cooled and carried with the tray, but join no fabric."""

    accelerator: Slug
    """Id of an ``accelerators`` entry (its ``power`` is what each one draws)."""
    count: int = Field(ge=1, le=MAX_COUNT)


class NetBoxPowerPort(Strict):
    """A power inlet as a NetBox device type lists it (``power-ports``)."""

    name: str
    type: str | None = None
    """NetBox connector type slug (``iec-60320-c14``, ``nema-l5-20p`` ...)."""
    maximum_draw: u.quantity_type("power") | None = None
    """Most the device draws on this port (NetBox: whole watts)."""
    allocated_draw: u.quantity_type("power") | None = None
    """Draw allotted to this port for power budgeting (NetBox: whole watts)."""


class NetBoxDeviceType(Strict):
    """The NetBox device type an entry was imported from or is exported as: what NetBox
    records and rackscale does not use (``rackscale netbox import`` fills it in)."""

    manufacturer: str = Field(min_length=1)
    model: str = Field(min_length=1)
    slug: str = Field(pattern=r"^[-a-z0-9_]+$")
    part_number: str | None = None
    is_full_depth: bool = True
    """Takes both rack faces (NetBox's default: true)."""
    airflow: str | None = None
    """NetBox airflow slug (``front-to-rear``, ``passive`` ...)."""
    weight_unit: Literal["kg", "g", "lb", "oz"] | None = None
    """Unit the weight is given in on export (absent: kg)."""
    power_ports: tuple[NetBoxPowerPort, ...] = ()


class BoardSwitch(Strict):
    """Switch chips on a node's own baseboard (HGX NVSwitch, PCIe switch)."""

    chip: Slug
    """Id of a ``switch_chips`` entry."""
    count: int = Field(ge=1, le=MAX_COUNT)


class ComputeTray(Sourced):
    """A compute tray or node holding accelerators (GB200 tray, DGX/HGX node, OAM UBB)."""

    accelerator: Slug
    """Id of the accelerator it holds."""
    accelerators: int = Field(ge=1, le=MAX_COUNT)
    """Accelerators per tray."""
    height: u.Length
    """Height, e.g. ``"1 RU"``; occupies ceil(height / rack slot pitch) slots."""
    overhead_power: u.PowerOrZero
    """Power of everything but the accelerators: CPUs, memory, NICs, DPUs, fans, drives."""
    mass: u.Mass
    liquid_fraction: float = Field(ge=0, le=1)
    """Share of the tray's heat removed by liquid (0 for air-cooled)."""
    scale_up_attach: Literal["backplane", "midplane", "board"]
    """``backplane``: links leave the tray as cables to the rear spine. ``midplane``: the tray
    (a blade) plugs its links into the rack's PCB midplane, which carries them to the switch
    blades behind it, with no cables. ``board``: links end on the node's own baseboard
    (on-board switches or mesh traces) and the node is the domain."""
    outside_domain: OutsideChips | None = None
    """Accelerators on the tray that are not in the scale-up domain (they count for power,
    cooling, mass and slots, never for the domain)."""
    board_switch: BoardSwitch | None = None
    board_links: int = Field(default=0, ge=0, le=4096)
    """Accelerator-to-accelerator links realised on the tray's own board (torus/mesh trays)."""
    cable_exit_width: u.LengthOrZero = "0 mm"
    """Width across which the tray's scale-up connectors spread at the rear."""
    power_input: Literal["busbar", "ac"]
    """``busbar``: fed from the rack's DC busbar by power shelves. ``ac``: own PSUs on PDUs."""
    busbar_voltage: u.quantity_type("voltage") | None = None
    """Bus voltage the tray's own converters take (50 V, or 800 V for blades fed straight
    from an 800 V bus); the rack's busbar must be within 15 % of it. Absent: any."""
    form_factor: FormFactor
    coolant_volume: u.VolumeOrZero = "0 L"
    """Coolant held in the tray's cold plates and hoses."""
    max_coolant_supply: u.Temperature | None = None
    """Highest coolant supply temperature the tray accepts (liquid trays)."""
    max_inlet_air: u.Temperature | None = None
    """Highest inlet air temperature the tray accepts."""
    spare_trays: int = Field(default=0, ge=0, le=64)
    """Trays of this kind each rack holds as hot spares (GroqRack: 1 GroqNode of 9): they
    draw power, take slots and weigh, and are wired into the fabric, but their accelerators
    are not in the domain. Only a dragonfly fabric wires spares (load-time check)."""
    netbox: NetBoxDeviceType | None = None
    """The NetBox device type this entry is (manufacturer, model, slug, power ports)."""

    @model_validator(mode="after")
    def _backplane_needs_exit_width(self):
        if self.scale_up_attach == "backplane" and self.cable_exit_width.magnitude <= 0:
            raise ValueError("a backplane-attached tray needs cable_exit_width > 0")
        return self


class SwitchChip(Sourced):
    """A scale-up switch ASIC (NVSwitch, PCIe switch)."""

    fabric: Slug
    ports: int = Field(ge=2, le=4096)
    """Ports per chip, each carrying one accelerator link."""
    port_bandwidth: u.BitRate
    """Bandwidth of one port, per direction."""
    power: u.Power


class SwitchTray(Sourced):
    """A tray of scale-up switch chips cabled to compute trays through the rear spine."""

    chip: Slug
    chips: int = Field(ge=1, le=MAX_COUNT)
    height: u.Length
    power: u.Power
    """Whole-tray power: chips, management CPU, fans."""
    mass: u.Mass
    liquid_fraction: float = Field(ge=0, le=1)
    cable_exit_width: u.Length
    power_input: Literal["busbar", "ac"]
    busbar_voltage: u.quantity_type("voltage") | None = None
    """Bus voltage its converters take, as for compute trays; absent: any."""
    form_factor: FormFactor
    attach: Literal["backplane", "midplane"] = "backplane"
    """``backplane``: cabled to compute trays through the spine, in a front slot.
    ``midplane``: a switch blade plugged into the rear of the rack's midplane, in one of its
    ``switch_positions`` (no front slot)."""
    netbox: NetBoxDeviceType | None = None
    """The NetBox device type this entry is (manufacturer, model, slug, power ports)."""


class LossPoint(Strict):
    """Insertion loss per length at one frequency."""

    frequency: u.Frequency
    loss: u.LossPerLength


class Channel(Sourced):
    """An electrical SerDes channel specification: the insertion loss a copper link may have.

    A passive cable's reach is the loss left for it at the lane's Nyquist frequency,
    ``loss_budget − 2 × host_loss − margin``, over its loss per metre.
    """

    lane_rate: u.BitRate
    """Nominal lane rate the specification is written for (e.g. ``"200 Gbit/s"``)."""
    nyquist_frequency: u.Frequency
    """Half the lane's symbol rate (212.5 Gb/s PAM4: 53.125 GHz)."""
    loss_budget: u.Loss
    """Largest insertion loss end to end (die bump to die bump) at Nyquist."""
    host_loss: u.LossOrZero
    """Loss at each end outside the cable: package, host trace or flyover, connector."""


class Midplane(Sourced):
    """A PCB midplane joining compute blades (front) to switch blades (rear) without cables.

    ``pcb``: traces run through the board from each blade's connector to each switch blade's,
    so the longest trace must fit the loss budget of the lane rate. ``direct``: orthogonal
    connectors mate blade to switch blade with no trace between them.
    """

    kind: Literal["pcb", "direct"]
    lane_rate: u.BitRate
    """Highest lane rate the midplane and its connectors are rated for."""
    pairs_per_slot: int = Field(ge=1, le=65536)
    """Differential pairs the connectors at one compute slot carry (both directions)."""
    switch_positions: int = Field(ge=1, le=MAX_COUNT)
    """Switch blades its rear side holds."""
    longest_trace: u.LengthOrZero = "0 m"
    """Longest trace between a compute connector and a switch connector (``pcb``)."""
    insertion_loss: tuple[LossPoint, ...] = ()
    """Trace loss per length at two or more frequencies (``pcb``), as for passive copper.
    The midplane's mass is part of its rack's ``empty_mass``."""

    @model_validator(mode="after")
    def _pcb_has_traces(self):
        if self.kind == "pcb" and (
            len(self.insertion_loss) < 2 or self.longest_trace.magnitude <= 0
        ):
            raise ValueError("a pcb midplane needs longest_trace and insertion_loss at 2+ points")
        return self


class OpticalSwitch(Sourced):
    """An optical circuit switch (Google Palomar): joins torus blocks' face links into a pod
    by mirrors, one port per optical link end."""

    ports: int = Field(ge=1, le=65536)
    spare_ports: int = Field(default=0, ge=0)
    """Ports held back (spares, monitoring); the rest carry links."""
    power: u.Power
    mass: u.Mass
    height: u.Length
    """Height in its own rack."""

    @model_validator(mode="after")
    def _a_port_works(self):
        if self.spare_ports >= self.ports:
            raise ValueError("spare_ports must be fewer than ports")
        return self


class NetworkSwitch(Sourced):
    """A scale-out packet switch (leaf, spine or core of the hall's fat tree)."""

    ports: int = Field(ge=2)
    """Physical ports (cages)."""
    port_rate: u.BitRate
    """Line rate of one port."""
    breakout: int = Field(default=1, ge=1, le=8)
    """Logical ports one physical port splits into (an 800G port as 2 × 400G)."""
    power: u.Power
    """Typical draw without the pluggable optics (those are counted per link end)."""
    mass: u.Mass
    height: u.Length
    """Height in a network rack."""


class Transceiver(Sourced):
    """A pluggable optical module of the scale-out fabric (one per link end at a NIC; a
    multi-port module in a switch cage serves several link ends)."""

    rate: u.BitRate
    """Bit rate the module carries each way, all its ports together."""
    ports: int = Field(default=1, ge=1, le=8)
    """Logical ports (link ends) of one module: 2 for a twin-port OSFP."""
    reach: u.Length
    power: u.Power
    """Power of one module (its maximum: provisioning)."""
    medium: Literal["multimode", "single-mode"]


class Cable(Sourced):
    """A scale-up cable: passive or active copper, pluggable or co-packaged optics."""

    kind: Literal["passive-copper", "active-copper", "optical", "cpo"]
    gauge_awg: int | None = Field(default=None, ge=20, le=40)
    pairs: int = Field(ge=1, le=MAX_COUNT)
    """Differential pairs (one lane, one direction each) carried by one cable."""
    lane_rate: u.BitRate
    """Highest lane rate the cable is rated for."""
    outer_diameter: u.quantity_type("length", maximum="10 cm")
    """Major outer dimension (the width of an oval twinax)."""
    minor_diameter: u.quantity_type("length", maximum="10 cm") | None = None
    """Minor outer dimension of an oval cable; equal to ``outer_diameter`` when round."""
    min_bend_radius: u.quantity_type("length") | None = None
    """Static (installed) minimum bend radius as the vendor states it; or give
    ``bend_multiple``."""
    bend_multiple: float | None = Field(default=None, gt=0, le=40)
    """Static bend radius as a multiple of the dimension the cable bends about: the minor
    axis of an oval or flat cable (its diameter when round)."""
    insertion_loss: tuple[LossPoint, ...] = ()
    """Loss per length at two or more frequencies (passive copper); between and beyond them
    it is interpolated as a power of frequency."""
    reach: u.quantity_type("length") | None = None
    """Rated reach at ``lane_rate`` (active copper and optics: their DSP, retimer or laser
    sets it). Passive copper takes its reach from ``insertion_loss`` and the channel."""
    mass_per_length: u.LinearDensity
    power_per_end: u.quantity_type("power", "nonnegative", maximum="10 kW")
    """Power drawn at each end (retimers, DSPs, lasers); 0 W for passive copper."""
    liquid_fraction: float = Field(default=0.0, ge=0, le=1)
    """Share of the end power removed by liquid: 1 for co-packaged optics on a cold-plated
    switch package, 0 for pluggables and AECs cooled by the tray's air."""

    @model_validator(mode="after")
    def _reach_source(self):
        if (self.min_bend_radius is None) == (self.bend_multiple is None):
            raise ValueError("give exactly one of min_bend_radius and bend_multiple")
        if self.kind == "passive-copper" and len(self.insertion_loss) < 2:
            raise ValueError("passive copper needs insertion_loss at two or more frequencies")
        if self.kind != "passive-copper" and self.reach is None:
            raise ValueError(f"a {self.kind} cable needs its rated reach")
        return self

    @property
    def cross_section(self):
        minor = self.minor_diameter if self.minor_diameter is not None else self.outer_diameter
        return math.pi / 4 * self.outer_diameter * minor


class Rack(Sourced):
    """A rack or cabinet: slots, envelope, spine, busbar and load rating."""

    standard: str
    slots: int = Field(ge=1, le=MAX_COUNT)
    """Mounting slots (U or OU)."""
    slot_pitch: u.quantity_type("length", maximum="1 m")
    """Height of one slot: ``"1 RU"`` (44.45 mm) or ``"1 OU"`` (48 mm)."""
    width: u.Length
    depth: u.Length
    height: u.Length
    footprint: u.quantity_type("area") | None = None
    """Floor area the rack bears on; width × depth when absent."""
    accepts: tuple[FormFactor, ...] = Field(min_length=1)
    empty_mass: u.Mass
    """Mass of the rack itself with its busbar, manifolds and cable cartridges."""
    static_load: u.Mass
    """Static payload rating (equipment it may carry)."""
    rear_clearance: u.LengthOrZero
    """Depth behind the tray connectors for cable bundles and their bends."""
    spine_area: u.quantity_type("area", "nonnegative")
    """Cross-section available to the vertical scale-up cable spine (0 for none)."""
    horizontal_run: u.quantity_type("length", "nonnegative", maximum="100 m")
    """Horizontal run from a tray's connector to the spine and on to the switch connector."""
    spine_fabrics: tuple[Slug, ...] = ()
    """Fabrics whose connectors and pinout the spine's cable cartridges are built for
    (``nvlink5``); cabled trays of another fabric do not fit. Empty: any."""
    busbar_voltage: u.quantity_type("voltage") | None = None
    """Nominal busbar voltage (DC-busbar racks)."""
    busbar_min_voltage: u.quantity_type("voltage") | None = None
    """Lowest voltage the busbar runs at; its current is checked there."""
    busbar_current: u.quantity_type("current") | None = None
    """Continuous (thermal) current rating of the busbar."""
    busbar_tap_current: u.quantity_type("current") | None = None
    """Largest current one power shelf may feed into the busbar at its tap (feed point);
    a shelf whose full output at its voltage exceeds it does not fit. Absent: not limited."""
    load_points: int = Field(default=4, ge=3, le=64)
    """Casters or levelling feet the loaded rack stands on (its point loads)."""
    slot_orientation: Literal["horizontal", "vertical"] = "horizontal"
    """``vertical``: slots are blade positions side by side (``slot_pitch`` is the blade
    pitch), as in a blade chassis; ``horizontal``: stacked U/OU slots."""
    blade_rows: int = Field(default=1, ge=1, le=64)
    """Rows of vertical blade positions (canisters stacked one above another); the slots
    are shared equally between rows."""
    midplane: Slug | None = None
    """Id of the ``midplanes`` entry the rack carries (blades plug into it)."""

    @model_validator(mode="after")
    def _busbar_together(self):
        given = (self.busbar_voltage, self.busbar_min_voltage, self.busbar_current)
        if any(v is None for v in given) and any(v is not None for v in given):
            raise ValueError("busbar_voltage, busbar_min_voltage and busbar_current go together")
        if self.busbar_voltage is not None and self.busbar_min_voltage > self.busbar_voltage:
            raise ValueError("busbar_min_voltage exceeds busbar_voltage")
        return self

    @model_validator(mode="after")
    def _rows_share_slots(self):
        if self.slots % self.blade_rows:
            raise ValueError("slots must divide equally into blade_rows")
        return self

    @property
    def floor_area(self):
        return self.footprint if self.footprint is not None else (self.width * self.depth)


class PowerShelf(Sourced):
    """A power unit: a shelf feeding the rack's DC busbar, a rack PDU feeding nodes' own
    PSUs, or a sidecar power rack standing beside the IT rack and feeding its busbar."""

    kind: Literal["shelf", "pdu", "sidecar"]
    """``sidecar``: a power rack of its own (OCP Mt Diablo, an 800 V sidecar): it takes no
    slot in the IT rack and puts no mass on it; its conversion loss goes to the room, and
    its own mass bears on its own floor share (``width`` × ``depth``)."""
    input: Literal["ac", "dc-800v"] = "ac"
    """What it takes from the hall: AC circuits or an 800 V DC busway (profile
    ``distribution`` says what the hall delivers)."""
    output: Literal["busbar", "ac"]
    capacity: u.Power
    """Nameplate output of one unit (all its modules)."""
    modules: int = Field(default=1, ge=1, le=MAX_COUNT)
    """Rectifier/PSU modules in one unit (6 in an ORv3 or NVL72 shelf)."""
    spare_modules: int = Field(default=0, ge=0)
    """Modules held spare inside the unit (N+1 rectifiers): not counted as capacity."""
    efficiency: float = Field(gt=0, le=1)
    """Output over input power at the design load (1 for a PDU: node PSUs are in node power)."""
    output_voltage: u.quantity_type("voltage") | None = None
    height: u.LengthOrZero
    """Height in the rack (0 for a zero-U PDU, a rack-top power entry or a sidecar)."""
    mass: u.Mass
    form_factor: FormFactor
    """Bay it mounts in; a unit of height 0 takes no bay and fits any rack."""
    width: u.quantity_type("length") | None = None
    """Width of a sidecar power rack (its floor share)."""
    depth: u.quantity_type("length") | None = None
    """Depth of a sidecar power rack."""
    netbox: NetBoxDeviceType | None = None
    """The NetBox device type this entry is (manufacturer, model, slug, power ports)."""

    @model_validator(mode="after")
    def _a_module_works(self):
        if self.spare_modules >= self.modules:
            raise ValueError("spare_modules must be fewer than modules")
        if self.kind == "sidecar" and (
            self.width is None or self.depth is None or self.height.magnitude != 0
        ):
            raise ValueError("a sidecar needs width and depth, and height 0 (no IT-rack slot)")
        return self

    @property
    def floor_area(self):
        return self.width * self.depth


class Coolant(Sourced):
    """A heat-transfer fluid."""

    density: u.Density
    specific_heat: u.SpecificHeat


class Cooling(Sourced):
    """A way of removing a rack's heat: room air, rear door, liquid through a CDU."""

    kind: Literal["air", "rear-door", "liquid-facility", "liquid-in-rack", "liquid-to-air"]
    liquid_capacity: u.PowerOrZero
    """Heat the liquid loop can remove per rack (CDU capacity allotted to one rack)."""
    air_capacity_added: u.PowerOrZero
    """Air-side heat removal added on top of the room's (a rear-door exchanger)."""
    max_flow: u.VolumeFlowOrZero
    """Largest coolant flow the loop delivers to one rack."""
    coolant: Slug | None = None
    coolant_volume: u.VolumeOrZero = "0 L"
    """Coolant held per rack in manifolds, hoses and any in-rack CDU."""
    height: u.LengthOrZero
    """Slots taken in the rack (in-rack CDU); 0 when outside it."""
    power: u.PowerOrZero
    """Pumps and fans drawn from the rack's own feed."""
    mass: u.MassOrZero
    """Mass carried by the rack (door, manifolds, in-rack CDU); coolant excluded."""
    needs_facility_water: bool
    """Rejects heat into the facility water loop (the profile must offer one)."""
    rejects_to_air: bool = False
    """Rejects the liquid loop's heat into room air (liquid-to-air CDU)."""

    @model_validator(mode="after")
    def _liquid_has_coolant(self):
        if self.liquid_capacity.magnitude > 0 and (self.coolant is None or not self.max_flow):
            raise ValueError("a liquid cooling option needs coolant and max_flow")
        return self


# --- workloads, wafer-scale and SRAM-chip systems, published speeds (budgets, compare) ---

Precision = Literal["fp32", "bf16", "fp16", "fp8", "fp4"]
BYTES_PER_VALUE: dict[str, float] = {"fp32": 4, "bf16": 2, "fp16": 2, "fp8": 1, "fp4": 0.5}


class Workload(Sourced):
    """An LLM: the shapes that set its memory, bandwidth and all-to-all budgets.

    Parameter counts are plain numbers (``405.9e9``). Expert parameters are
    ``3 × hidden × expert_ffn`` (gate, up and down projections of a SwiGLU expert).
    """

    kind: Literal["dense", "moe"]
    total_params: float = Field(gt=0)
    """Parameters stored (all experts), as published."""
    active_params: float = Field(gt=0)
    """Parameters used per token, as published."""
    layers: int = Field(ge=1)
    moe_layers: int = Field(default=0, ge=0)
    """Layers whose FFN is a routed mixture of experts."""
    hidden: int = Field(ge=1)
    ffn: int = Field(default=0, ge=0)
    """Dense FFN width (dense layers)."""
    experts: int = Field(default=0, ge=0)
    """Routed experts per MoE layer."""
    shared_experts: int = Field(default=0, ge=0)
    top_k: int = Field(default=0, ge=0)
    """Routed experts each token visits per MoE layer."""
    expert_ffn: int = Field(default=0, ge=0)
    """FFN width of one expert."""
    attention: Literal["gqa", "mla"]
    q_heads: int = Field(ge=1)
    kv_heads: int = Field(default=0, ge=0)
    """Key/value heads (GQA)."""
    head_dim: int = Field(default=0, ge=0)
    kv_lora_rank: int = Field(default=0, ge=0)
    """Compressed KV width (MLA)."""
    qk_rope_dim: int = Field(default=0, ge=0)
    """Decoupled RoPE key width cached next to the compressed KV (MLA)."""
    vocab: int = Field(ge=1)
    max_context: int = Field(ge=1)
    weight_precision: Precision
    """Precision of the released weights."""
    expert_precision: Precision | None = None
    """Precision of the routed experts when it differs (e.g. MXFP4 experts, BF16 rest)."""

    @model_validator(mode="after")
    def _shapes_agree(self):
        if self.active_params > self.total_params:
            raise ValueError("active_params exceeds total_params")
        if self.kind == "moe":
            if not (self.moe_layers and self.experts and self.top_k and self.expert_ffn):
                raise ValueError("an moe workload needs moe_layers, experts, top_k, expert_ffn")
            if self.top_k > self.experts or self.moe_layers > self.layers:
                raise ValueError("top_k must be <= experts and moe_layers <= layers")
            routed_active = self.moe_layers * self.top_k * 3 * self.hidden * self.expert_ffn
            if routed_active >= self.active_params:
                raise ValueError("routed expert parameters alone exceed active_params")
        if self.attention == "gqa" and not (self.kv_heads and self.head_dim):
            raise ValueError("gqa attention needs kv_heads and head_dim")
        if self.attention == "mla" and not self.kv_lora_rank:
            raise ValueError("mla attention needs kv_lora_rank")
        return self


class System(Sourced):
    """A wafer-scale system or a rack of SRAM-only chips, taken as one unit.

    ``memory`` and ``memory_bandwidth`` are the on-chip SRAM of the whole system; weights
    that do not fit are either spread over more systems (pipeline) or streamed from
    ``external_memory`` through ``io_bandwidth``.
    """

    vendor: str
    year: int = Field(ge=2010, le=2035)
    kind: Literal["wafer-scale", "sram-chips"]
    chips: int = Field(ge=1)
    """Chips (wafers or dies) in one system."""
    memory: u.Information
    """On-chip SRAM of the whole system."""
    memory_bandwidth: u.quantity_type("bit rate")
    """Aggregate SRAM bandwidth of the whole system."""
    fabric_bandwidth: u.quantity_type("bit rate") | None = None
    """On-wafer (or on-chip) fabric bandwidth."""
    peak_compute: u.ComputeRate | None = None
    """Peak 16-bit compute as published."""
    peak_compute_sparse: bool = False
    """True when the published peak assumes sparsity; ``dense_compute`` is then lower."""
    dense_compute: u.ComputeRate | None = None
    """Dense 16-bit compute used by the budgets (absent: no compute bound)."""
    chip_link_bandwidth: u.quantity_type("bit rate") | None = None
    """Chip-to-chip bandwidth per chip per direction inside the system (multi-chip systems)."""
    chip_link_latency: u.quantity_type("time") | None = None
    """Chip-to-chip latency inside the system (multi-chip systems)."""
    io_bandwidth: u.BitRate
    """System-to-system / external I/O bandwidth per direction."""
    io_latency: u.Time
    """Latency of one hop between systems."""
    placement: Literal["layers", "tensor"] = "layers"
    """Layers laid out one after another over the chips or wafer (a token visits each
    layer's region in turn), or every layer sliced over all chips."""
    layer_latency: u.quantity_type("time") | None = None
    """Per-layer floor memory and compute do not hide (fabric traversal, reductions, chip
    hops inside a layer); say in ``notes`` which published speed calibrates it."""
    external_memory: u.quantity_type("information") | None = None
    """Largest external weight store (Cerebras MemoryX)."""
    power: u.Power
    height: u.Length
    systems_per_rack: int = Field(ge=1, le=MAX_COUNT)
    rack_footprint: u.Area
    """Floor area of one rack of these systems."""


class PublishedSpeed(Sourced):
    """A published single-user decode speed, held against the decode bound."""

    date: str
    system: Slug
    """Accelerator id or system id."""
    units: int | None = Field(default=None, ge=1)
    """Accelerators (or systems) serving the model; absent: the fewest that hold it."""
    workload: Slug
    precision: Precision
    """Weight precision served."""
    tokens_per_s: float = Field(gt=0)
    """Tokens per second per user."""
    expert_precision: Precision | None = None
    """Precision of the routed experts when it differs from ``precision``."""
    expert_placement: Literal["whole", "sliced"] | None = None
    """MoE experts whole on one accelerator each (expert parallel, the default) or sliced."""
    context: int | None = Field(default=None, ge=1)
    """KV tokens per sequence in the benchmark (default 1,024)."""
    speculative: bool = False
    """Speculative decoding (several tokens per weight read)."""
    acceptance_length: float | None = Field(default=None, ge=1)
    """Mean tokens emitted per verification step (accepted + 1), when published."""
    draft_tokens: int | None = Field(default=None, ge=1)
    """Tokens the draft proposes per verification step."""
    draft_params: float | None = Field(default=None, gt=0)
    """Parameters of the draft model (an EAGLE head is about one transformer layer)."""
    draft_layers: int = Field(default=1, ge=1)
    """Layers of the draft model (each pays the per-layer floor)."""


class Price(Sourced):
    """What one catalog item costs, with its date: per unit (an accelerator, tray, switch
    tray, power shelf, rack, cooling allotment, optical switch or system); per cable for a
    cable (both ends: an inter-rack cable end costs half of it)."""

    item: Slug
    """The priced catalog id."""
    price: u.Money
    date: str = Field(pattern=r"^\d{4}(-\d{2}){0,2}$")
    """When the price was published (YYYY, YYYY-MM or YYYY-MM-DD)."""


class CatalogFile(Strict):
    """One catalog YAML file: any subset of the categories."""

    accelerators: tuple[Accelerator, ...] = ()
    compute_trays: tuple[ComputeTray, ...] = ()
    switch_chips: tuple[SwitchChip, ...] = ()
    switch_trays: tuple[SwitchTray, ...] = ()
    cables: tuple[Cable, ...] = ()
    racks: tuple[Rack, ...] = ()
    power_shelves: tuple[PowerShelf, ...] = ()
    coolants: tuple[Coolant, ...] = ()
    cooling: tuple[Cooling, ...] = ()
    workloads: tuple[Workload, ...] = ()
    systems: tuple[System, ...] = ()
    channels: tuple[Channel, ...] = ()
    midplanes: tuple[Midplane, ...] = ()
    optical_switches: tuple[OpticalSwitch, ...] = ()
    network_switches: tuple[NetworkSwitch, ...] = ()
    transceivers: tuple[Transceiver, ...] = ()
    published_speeds: tuple[PublishedSpeed, ...] = ()
    prices: tuple[Price, ...] = ()


CATEGORIES: tuple[str, ...] = tuple(CatalogFile.model_fields)


class FeedCircuits(Strict):
    """The rack's electrical feed as whips or circuits (A and B sides under 2N)."""

    count: int = Field(ge=1, le=MAX_COUNT)
    """Circuits to the rack, all sides together."""
    voltage: u.Voltage
    """Line-to-line voltage of a three-phase circuit (line voltage of a single-phase one)."""
    current: u.Current
    """Breaker rating of one circuit."""
    phases: Literal[1, 3]
    power_factor: float = Field(default=1.0, gt=0, le=1)
    derating: float = Field(default=1.0, gt=0, le=1)
    """Continuous-load derating of the breaker (0.8 under NEC rules, 1 under IEC)."""


class Economics(Strict):
    """The money side of a site, for capex, cost per accelerator-hour and per token. The
    defaults are a worked budget for a US site in 2025 (estimates)."""

    source: str = (
        "Cushman & Wakefield, Data Center Development Cost Guide 2025 (11.7 M USD/MW average "
        "build), https://cushwake.cld.bz/Data-Center-Development-Cost-Guide-2025/8-9; EIA "
        "Electric Power Monthly Table 5.6.A, April 2025 (US industrial 6-10 cents/kWh), "
        "https://www.eia.gov/electricity/monthly/epm_table_grapher.php?t=table_5_06_a; "
        "PUE, lives and utilisation are engineering estimates"
    )
    estimates: tuple[str, ...] = ("pue", "hardware_life", "facility_life", "utilisation")
    energy_price: u.EnergyPrice = "0.08 USD/kWh"
    pue: float = Field(default=1.15, ge=1, le=3)
    """Facility power over IT power (cooling plant, distribution losses)."""
    facility_capex: u.MoneyPerPower = "11.7e6 USD/MW"
    """Building, power and cooling plant per MW of IT load."""
    facility_life: u.Time = "15 year"
    hardware_life: u.Time = "4 year"
    """Years over which IT hardware is written off."""
    utilisation: float = Field(default=0.8, gt=0, le=1)
    """Share of hours the hardware serves tokens at the throughput counted."""


class Profile(Strict):
    """A site and rack envelope a design must live in (a file under ``constraints/``)."""

    id: Slug = Field(pattern=r"^[a-z0-9][a-z0-9.+-]*$")
    name: str
    description: str = ""
    source: str = Field(min_length=3)
    estimates: tuple[str, ...] = ()
    feed_power: u.quantity_type("power") | None = None
    """Electrical feed available to one rack (or give ``feed_circuits``)."""
    feed_circuits: FeedCircuits | None = None
    """The feed as circuits; under 2N only half of them carry the load."""
    distribution: tuple[Literal["ac", "dc-800v"], ...] = Field(default=("ac",), min_length=1)
    """What the hall delivers to a rack: AC circuits or whips, an 800 V DC busway, or both;
    only power units whose ``input`` is among them can be chosen."""
    air_cooling: u.PowerOrZero
    """Heat the room's air handling removes from one rack."""
    facility_water: u.PowerOrZero
    """Heat the facility water loop accepts from one rack (0 W: no facility water)."""
    facility_flow: u.VolumeFlowOrZero
    """Facility-water flow available to one rack."""
    supply_temperature: u.Temperature
    """Coolant supply temperature at the rack (the tray loop's inlet)."""
    return_temperature: u.Temperature
    """Highest coolant return temperature the loop accepts; the coolant's rise across the
    rack is ``return − supply`` and sets the flow each kilowatt needs."""
    ambient_temperature: u.Temperature
    """Inlet air temperature."""
    floor_load_rating: u.ArealLoad
    """Distributed floor load rating (``"25 kPa"`` or ``"1500 kg/m^2"``)."""
    floor_added_load: u.quantity_type("areal load", "nonnegative") = "0 kg/m^2"
    """Load added on a rack's floor share besides the rack: people, raised floor, cables
    (IBM adds 15 lb/ft² for people and 10 lb/ft² for a raised floor and cables)."""
    floor_point_rating: u.quantity_type("force") | None = None
    """Concentrated load one caster or levelling foot may put on the floor (raised-floor
    panel or slab rating, e.g. ``"1250 lbf"``); absent: not checked."""
    cold_aisle_width: u.LengthOrZero = "0 m"
    hot_aisle_width: u.LengthOrZero = "0 m"
    """Aisle widths; a rack's floor share adds half of each across its width."""
    shelf_redundancy: str = Field(pattern=r"^(N|N\+[1-9]|2N)$")
    """Power shelf redundancy: ``N``, ``N+k`` (k spare shelves) or ``2N`` (two independent
    sides, each carrying the peak alone)."""
    transient_factor: float | None = Field(default=None, ge=1, le=3)
    """Peak ÷ steady power for sizing shelves; absent: the accelerator's own figure."""
    copper_loss_margin: u.LossOrZero
    """Insertion loss held back from a passive copper channel's budget (temperature, ageing,
    manufacturing spread)."""
    cable_fill: float = Field(ge=0.01, le=0.9069)
    """Packing fraction of cable bundles (≤ 0.9069, hexagonal packing of round cables)."""
    service_slack: u.quantity_type("length", "nonnegative", maximum="100 m")
    """Extra length added to every spine run for service loops."""
    reserved_slots: int = Field(ge=0, le=MAX_COUNT)
    """Slots kept for management/ToR switches and patch panels."""
    reserved_power: u.PowerOrZero
    """Power of the reserved equipment."""
    reserved_mass: u.MassOrZero = "0 kg"
    rack_pitch: u.Length = "0.6 m"
    """Centre-to-centre distance of neighbouring racks in a row (multi-rack domains)."""
    overhead_drop: u.LengthOrZero = "1.2 m"
    """Cable length from a switch tray up to the overhead tray (and down at the far end)."""
    economics: Economics = Field(default_factory=lambda: Economics())
    """Energy price, facility cost, lives and utilisation for the cost budgets."""

    @model_validator(mode="after")
    def _loops_and_feed(self):
        rise = self.return_temperature.to("K") - self.supply_temperature.to("K")
        if rise.magnitude <= 0:
            raise ValueError("return_temperature must be above supply_temperature")
        if self.floor_added_load >= self.floor_load_rating:
            raise ValueError("floor_added_load leaves nothing of floor_load_rating")
        if (self.feed_power is None) == (self.feed_circuits is None):
            raise ValueError("give exactly one of feed_power and feed_circuits")
        if self.feed_circuits is not None and "ac" not in self.distribution:
            raise ValueError("feed_circuits are AC circuits: give feed_power for a DC-only hall")
        if self.shelf_redundancy == "2N" and self.feed_circuits and self.feed_circuits.count % 2:
            raise ValueError("2N needs an even number of feed_circuits (A and B sides)")
        return self


class Busway(Strict):
    """The power run over one row (overhead busway or row PDU)."""

    capacity: u.Power
    """What one run delivers to the row's racks (after breaker derating)."""
    feeds: Literal[1, 2] = 2
    """Runs per row: 2 is an A and a B busway, each able to carry the row alone (2N)."""


class CDU(Strict):
    """Coolant distribution units: a group of them serves a block of neighbouring rows."""

    capacity: u.Power
    """Heat one CDU moves from the technology loop to facility water."""
    flow: u.VolumeFlow
    """Technology-loop flow one CDU delivers."""
    rows: int = Field(default=1, ge=1)
    """Rows one group of CDUs serves (1: a CDU group per row)."""
    units: int = Field(ge=1)
    """CDUs in a group."""
    redundancy: str = Field(default="N", pattern=r"^(N|N\+[1-9])$")
    """``N+k``: k of the group's CDUs are spares and carry no load."""
    positions: int = Field(default=0, ge=0)
    """Row positions one CDU takes (0: CDUs stand in a gallery outside the rows)."""


class ScaleOut(Strict):
    """The hall's scale-out network joining the scale-up domains: a non-blocking folded-Clos
    (fat tree) of ``switch``, every accelerator port on optics."""

    switch: str
    """A ``network_switches`` id."""
    max_tiers: int = Field(default=3, ge=2, le=4)
    """Most switch tiers the fabric may have (2: leaf/spine; 3: leaf/spine/core)."""
    switches_per_rack: int = Field(ge=1)
    """Switches one network rack holds (it stands in a row position)."""


class FailureDomains(Strict):
    """Blast-radius limits: the most of the hall's accelerators one CDU group or one row
    feed may serve."""

    max_share_per_cdu: float | None = Field(default=None, gt=0, le=1)
    max_share_per_row: float | None = Field(default=None, gt=0, le=1)


class Hall(Strict):
    """A data hall's envelope: IT power, rows of rack positions, their busways and CDUs, the
    room's air cooling and the scale-out fabric (the ``hall:`` block of a profile file)."""

    id: Slug = Field(pattern=r"^[a-z0-9][a-z0-9.+-]*$")
    name: str
    source: str = Field(min_length=3)
    estimates: tuple[str, ...] = ()
    it_power: u.Power
    """IT power the hall delivers (UPS output), all rows and the network together."""
    rows: int = Field(ge=1, le=1000)
    row_positions: int = Field(ge=1, le=1000)
    """Rack positions in one row, each ``position_width`` wide."""
    position_width: u.Length = "600 mm"
    row_pitch: u.Length
    """Centre-to-centre distance of neighbouring rows (rack depth plus the aisles)."""
    busway: Busway
    cdu: CDU
    air_cooling: u.quantity_type("power") | None = None
    """Heat the room's air handling removes from the whole hall; absent: not limiting."""
    scale_out: ScaleOut
    failure_domains: FailureDomains = Field(default_factory=lambda: FailureDomains())

    @model_validator(mode="after")
    def _groups_tile_rows(self):
        if self.rows % self.cdu.rows:
            raise ValueError(f"cdu.rows ({self.cdu.rows}) must divide rows ({self.rows})")
        if not carrying_units(self.cdu.units, self.cdu.redundancy):
            raise ValueError("cdu.units must exceed the spares of cdu.redundancy")
        if self.cdu.units * self.cdu.positions >= self.cdu.rows * self.row_positions:
            raise ValueError("the CDUs take every row position")
        return self


class ProfileFile(Strict):
    profile: Profile
    hall: Hall | None = None
