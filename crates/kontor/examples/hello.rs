//! The benchmark baseline: a hello-world axum server with no middleware,
//! measured in the same run as kontor (`bench/run`).

use axum::Router;
use axum::routing::get;

#[tokio::main]
async fn main() -> std::io::Result<()> {
    let addr = std::env::args()
        .nth(1)
        .unwrap_or_else(|| "127.0.0.1:0".into());
    let listener = tokio::net::TcpListener::bind(&addr).await?;
    println!("hello listening on http://{}", listener.local_addr()?);
    axum::serve(
        listener,
        Router::new().route("/", get(|| async { "Hello, World!" })),
    )
    .await
}
