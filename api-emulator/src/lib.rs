//! api-emulator (being written).
