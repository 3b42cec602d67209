//! Write: the only stage that changes the file system. Outputs are written to a staging folder
//! beside the output folder and published with one atomic exchange.
