"""The one home of rackscale's physics: named pint functions, each formula written once.

The CP-SAT families (through :mod:`solver.integers`, one integer conversion per space),
the ``measure()`` checks, the bill of materials, the report and the budgets all call these
functions; none of them re-derives a physical quantity.

========== ==============================================================================
module      what it answers
========== ==============================================================================
links       pairs per link, cables for links, cables leaving a tray or a switch tray, the
            torus shape and the faces of a rack's block that leave the rack
power       tray power, cable-end power, feed draw, transient peak, shelves after
            redundancy, busbar current, feed capacity of circuits
cooling     coolant rise, flow a heat load needs, heat a flow carries, liquid and air heat
mass        tray, cooling and cable mass
reach       Nyquist loss of a cable, usable reach (loss budget or rating), run length,
            bend allowance, inter-rack run
floor       floor share of a rack, distributed load, point load per caster or foot
inventory   every part of one rack with its count, power, heat path and mass
========== ==============================================================================
"""
