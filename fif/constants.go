package fif

// FIFF constants used by the reader, with MNE-Python's names (see
// mne/io/constants.py).

// Tag kinds.
const (
	kindFileID        = 100 // FIFF_FILE_ID
	kindDirPointer    = 101 // FIFF_DIR_POINTER
	kindBlockID       = 103 // FIFF_BLOCK_ID
	kindBlockStart    = 104 // FIFF_BLOCK_START
	kindBlockEnd      = 105 // FIFF_BLOCK_END
	kindParentBlockID = 110 // FIFF_PARENT_BLOCK_ID
	kindRefRole       = 115 // FIFF_REF_ROLE
	kindRefFileNum    = 117 // FIFF_REF_FILE_NUM
	kindRefFileName   = 118 // FIFF_REF_FILE_NAME

	kindNChan       = 200 // FIFF_NCHAN
	kindSFreq       = 201 // FIFF_SFREQ
	kindChInfo      = 203 // FIFF_CH_INFO
	kindMeasDate    = 204 // FIFF_MEAS_DATE
	kindComment     = 206 // FIFF_COMMENT (FIFF_DESCRIPTION)
	kindFirstSample = 208 // FIFF_FIRST_SAMPLE

	kindChScanNo     = 250 // FIFF_CH_SCAN_NO
	kindChLogicalNo  = 251 // FIFF_CH_LOGICAL_NO
	kindChKind       = 252 // FIFF_CH_KIND
	kindChRange      = 253 // FIFF_CH_RANGE
	kindChCal        = 254 // FIFF_CH_CAL
	kindChLoc        = 255 // FIFF_CH_LOC
	kindChUnit       = 256 // FIFF_CH_UNIT
	kindChUnitMul    = 257 // FIFF_CH_UNIT_MUL
	kindChDacqName   = 258 // FIFF_CH_DACQ_NAME
	kindChCoilType   = 350 // FIFF_CH_COIL_TYPE
	kindChCoordFrame = 351 // FIFF_CH_COORD_FRAME

	kindDataBuffer = 300 // FIFF_DATA_BUFFER
	kindDataSkip   = 301 // FIFF_DATA_SKIP

	kindMNEEventList   = 3561 // FIFF_MNE_EVENT_LIST
	kindMNEBaselineMin = 3568 // FIFF_MNE_BASELINE_MIN (annotation onsets)
	kindMNEBaselineMax = 3569 // FIFF_MNE_BASELINE_MAX (annotation ends)
)

// Block kinds.
const (
	blockMeas          = 100  // FIFFB_MEAS
	blockMeasInfo      = 101  // FIFFB_MEAS_INFO
	blockRawData       = 102  // FIFFB_RAW_DATA
	blockContinuous    = 112  // FIFFB_CONTINUOUS_DATA
	blockChInfo        = 113  // FIFFB_CH_INFO
	blockRef           = 118  // FIFFB_REF
	blockIASRawData    = 119  // FIFFB_IAS_RAW_DATA
	blockMNEEvents     = 361  // FIFFB_MNE_EVENTS
	blockMNEAnnotation = 3810 // FIFFB_MNE_ANNOTATIONS
)

// Tag data types.
const (
	typeVoid          = 0  // FIFFT_VOID
	typeByte          = 1  // FIFFT_BYTE
	typeShort         = 2  // FIFFT_SHORT
	typeInt           = 3  // FIFFT_INT
	typeFloat         = 4  // FIFFT_FLOAT
	typeDouble        = 5  // FIFFT_DOUBLE
	typeUShort        = 7  // FIFFT_USHORT
	typeUInt          = 8  // FIFFT_UINT
	typeString        = 10 // FIFFT_STRING
	typeDAUPack16     = 16 // FIFFT_DAU_PACK16
	typeComplexFloat  = 20 // FIFFT_COMPLEX_FLOAT
	typeComplexDouble = 21 // FIFFT_COMPLEX_DOUBLE
	typeChInfoStruct  = 30 // FIFFT_CH_INFO_STRUCT
	typeIDStruct      = 31 // FIFFT_ID_STRUCT
)

// Other values.
const (
	roleNextFile = 2 // FIFFV_ROLE_NEXT_FILE

	chMEG         = 1    // FIFFV_MEG_CH
	chEEG         = 2    // FIFFV_EEG_CH
	chStim        = 3    // FIFFV_STIM_CH
	chBio         = 102  // FIFFV_BIO_CH
	chEOG         = 202  // FIFFV_EOG_CH
	chRefMEG      = 301  // FIFFV_REF_MEG_CH
	chEMG         = 302  // FIFFV_EMG_CH
	chECG         = 402  // FIFFV_ECG_CH
	chMisc        = 502  // FIFFV_MISC_CH
	chResp        = 602  // FIFFV_RESP_CH
	chQuat0       = 700  // FIFFV_QUAT_0 .. FIFFV_HPI_MOV = 709
	chHPIMov      = 709  // FIFFV_HPI_MOV
	chSEEG        = 802  // FIFFV_SEEG_CH
	chDBS         = 803  // FIFFV_DBS_CH
	chSyst        = 900  // FIFFV_SYST_CH
	chECoG        = 902  // FIFFV_ECOG_CH
	chIAS         = 910  // FIFFV_IAS_CH
	chExci        = 920  // FIFFV_EXCI_CH
	chDipole      = 1000 // FIFFV_DIPOLE_WAVE
	chGoF         = 1001 // FIFFV_GOODNESS_FIT
	chFNIRS       = 1100 // FIFFV_FNIRS_CH
	chTemperature = 1200 // FIFFV_TEMPERATURE_CH
	chGalvanic    = 1300 // FIFFV_GALVANIC_CH

	coilNone             = 0   // FIFFV_COIL_NONE
	coilEEG              = 1   // FIFFV_COIL_EEG
	coilEEGBipolar       = 5   // FIFFV_COIL_EEG_BIPOLAR
	coilEEGCSD           = 6   // FIFFV_COIL_EEG_CSD
	coilFNIRSHbO         = 300 // FIFFV_COIL_FNIRS_HBO
	coilFNIRSHbR         = 301 // FIFFV_COIL_FNIRS_HBR
	coilFNIRSCWAmplitude = 302 // FIFFV_COIL_FNIRS_CW_AMPLITUDE
	coilFNIRSOD          = 303 // FIFFV_COIL_FNIRS_OD
	coilFNIRSFDAC        = 304 // FIFFV_COIL_FNIRS_FD_AC_AMPLITUDE
	coilFNIRSFDPhase     = 305 // FIFFV_COIL_FNIRS_FD_PHASE

	unitNone = -1  // FIFF_UNIT_NONE
	unitMol  = 6   // FIFF_UNIT_MOL
	unitV    = 107 // FIFF_UNIT_V
	unitT    = 112 // FIFF_UNIT_T
	unitCel  = 114 // FIFF_UNIT_CEL
	unitTm   = 201 // FIFF_UNIT_T_M
)
