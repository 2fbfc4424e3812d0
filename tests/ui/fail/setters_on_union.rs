#[derive(api_core::Setters)]
pub union Bits {
    pub small: u8,
    pub large: u64,
}

fn main() {}
