"""The L1 input layout of the public "LHC new-physics dataset" (ADC2021, arXiv 2107.02157).

19 objects x (pT [GeV], eta, phi): row 0 MET (eta = 0), rows 1-4 e/gamma, rows 5-8 muons, rows 9-18 jets,
pT-ordered within each class and zero-padded. Flattened to 57 features as ``particles[:, :, :3].reshape(N, 57)``.
"""

from __future__ import annotations

N_MET, N_EGAMMA, N_MUON, N_JET = 1, 4, 4, 10
N_OBJECTS = N_MET + N_EGAMMA + N_MUON + N_JET  # 19
N_FEATURES_PER_OBJECT = 3  # pT, eta, phi
N_L1_INPUTS = N_OBJECTS * N_FEATURES_PER_OBJECT  # 57

# The L1 full scale of the raw inputs: beyond it an event saturates the input quantizer and scores the overflow
# score (training.vae.input_overflow, the ONNX graph's guard, the firmware's overflow bit). phi's bound is float32(pi)
# (3.1415927410125732, above pi by 8.7e-8), inclusive: inputs arrive as float32 and a phi computed as pi there (atan2f
# of a negative x-axis momentum) is a real direction, not an overflow that would accept the event at every seed.
PHI_MAX = 3.1415927410125732  # float(numpy.float32(numpy.pi))
L1_FULL_SCALE = {"pt": (0.0, 2048.0), "eta": (-5.0, 5.0), "phi": (-PHI_MAX, PHI_MAX)}

MET_ROWS = slice(0, 1)
EGAMMA_ROWS = slice(1, 5)
MUON_ROWS = slice(5, 9)
JET_ROWS = slice(9, 19)

# Class ids of the public layout's fourth column (0 marks an empty slot).
CLASS_MET, CLASS_EGAMMA, CLASS_MUON, CLASS_JET = 1, 2, 3, 4
ROW_CLASS = (CLASS_MET,) + (CLASS_EGAMMA,) * N_EGAMMA + (CLASS_MUON,) * N_MUON + (CLASS_JET,) * N_JET

PARTICLES_NAMES = (b"Pt", b"Eta", b"Phi", b"Class")
PARTICLES_CLASSES = (b"MET_class_1", b"Four_Ele_class_2", b"Four_Mu_class_3", b"Ten_Jet_class_4")

ROW_LABELS = (
    ("MET",)
    + tuple(f"egamma{i}" for i in range(N_EGAMMA))
    + tuple(f"muon{i}" for i in range(N_MUON))
    + tuple(f"jet{i}" for i in range(N_JET))
)
L1_INPUT_NAMES = tuple(f"{row}_{q}" for row in ROW_LABELS for q in ("pt", "eta", "phi"))

# The 21 "l+X" HLT features of seed-004 (see ../shared/FACTS.md), in this order.
HLT_FEATURE_NAMES = (
    "lep_pt",
    "lep_iso_ch",
    "lep_iso_neu",
    "lep_iso_gamma",
    "lep_charge",
    "lep_is_ele",
    "st",
    "n_jets",
    "m_jets",
    "n_b",
    "met_par",
    "met_perp",
    "mt",
    "n_mu",
    "m_mu",
    "pt_tot_mu",
    "n_ele",
    "m_ele",
    "pt_tot_ele",
    "n_charged_had",
    "n_neutral_had",
)
N_HLT_FEATURES = len(HLT_FEATURE_NAMES)  # 21
