// The glibc allocator spent about a fifth of a serving process's CPU in
// malloc and free (perf, submit benchmark); mimalloc's per-thread free
// lists suit the many short-lived allocations of request handling.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> std::process::ExitCode {
    kontor::cli::main()
}
