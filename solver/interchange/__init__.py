"""Interchange with other tools: JSON Schemas of the YAML formats (:mod:`.schemas`), NetBox
device types and rack elevations (:mod:`.netbox`), and the cabling plan (:mod:`.cabling`)."""
