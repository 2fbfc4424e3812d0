//! `api-emulator`: run the Server API emulator as a process (see
//! [`api_emulator::cli`] for its flags).

fn main() -> std::process::ExitCode {
    api_emulator::cli::main()
}
