fn main() -> std::process::ExitCode {
    kontor::cli::main()
}
