"""Virtual My Number Cards and driver's licences, for the demo and the tests.

Built from a resident profile (YAML) with a PIN, a retry counter that blocks at 0, and fault
switches. They run in-process (`inprocess.InProcessTransport`, `inprocess.VirtualBackend`) or as
a vpcd card (`vpcd.VpcdCard`) so the same reading code is tested through the real pcscd.
"""

from devices.card.virtual.card import CardGoneError, VirtualCard
from devices.card.virtual.faults import Faults
from devices.card.virtual.inprocess import InProcessTransport, VirtualBackend
from devices.card.virtual.licence import VirtualLicence
from devices.card.virtual.mynumber import VirtualMyNumberCard
from devices.card.virtual.profile import (
    ResidentProfile,
    bundled_profiles,
    load_profiles,
    resolve_profile_file,
)
from devices.card.virtual.vpcd import VpcdCard

__all__ = [
    "CardGoneError",
    "Faults",
    "InProcessTransport",
    "ResidentProfile",
    "VirtualBackend",
    "VirtualCard",
    "VirtualLicence",
    "VirtualMyNumberCard",
    "VpcdCard",
    "bundled_profiles",
    "load_profiles",
    "resolve_profile_file",
]
