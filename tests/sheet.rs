//! CSV interchange without a workspace (`sheet`): the shared corpus
//! against its contracts, the streamed reader against the whole-file one,
//! and properties of the cell readers and the round trip.

mod cell_props;
mod corpus;
mod roundtrip_props;
mod stream_corpus;
