"""Transitions and exam access arrangements: Django finds an app's models through
`transitions.models`, so this package re-exports them from its feature modules (R1) and holds
nothing else."""

# transfer_packs and arrivals
from transitions.models.arrivals import ArrivalState as ArrivalState
from transitions.models.arrivals import CameBy as CameBy
from transitions.models.arrivals import ImportedRecord as ImportedRecord
from transitions.models.arrivals import IncomingPack as IncomingPack
from transitions.models.transfer_packs import PackSending as PackSending
from transitions.models.transfer_packs import SendingMethod as SendingMethod
from transitions.models.transfer_packs import TransferPack as TransferPack
