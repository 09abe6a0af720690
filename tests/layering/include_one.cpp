// One header, named by LAYERING_HEADER, included from a target of one layer: the
// layering test builds this once per pair to prove which includes compile.
#include LAYERING_HEADER
