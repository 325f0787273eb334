//! `kontor serve`, `kontor worker`.

use anyhow::Context;
use tokio::net::TcpListener;

use crate::app;
use crate::config::Config;
use crate::demo;
use crate::web::AppState;

pub async fn serve(
    mut config: Config,
    listen: Option<String>,
    with_demo: bool,
    no_worker: bool,
) -> anyhow::Result<()> {
    if let Some(l) = listen {
        config.listen = l;
    }
    let store = app::open_store(&config).await?;
    let services = app::services(&config, store, app::clock(&config)?);
    if with_demo {
        demo::load(&services).await?;
    }
    // The help center is indexed before the port opens: a kontor that
    // listens answers questions.
    let listen = config.listen.clone();
    let metrics = crate::telemetry::metrics_handle();
    let state = AppState::new(services, config, metrics)?;
    let listener = TcpListener::bind(&listen)
        .await
        .with_context(|| format!("failed to listen on {listen}"))?;
    let addr = listener.local_addr()?;
    let base = format!("http://{addr}");
    // Scripts and tests read this line to find a port chosen with :0.
    println!("kontor listening on {base}");
    if with_demo {
        println!("{}", demo::logins_text(&base));
    }
    app::serve(listener, state, !no_worker, app::shutdown_signal()).await
}

pub async fn worker(config: Config, once: bool, deliver: bool) -> anyhow::Result<()> {
    let store = app::open_store(&config).await?;
    let services = app::services(&config, store, app::clock(&config)?);
    let deliverer = crate::delivery::Deliverer::from_config(services.clone(), &config)?;
    if once {
        let r = crate::worker::drain_due(&services, config.worker_batch).await?;
        let expired = crate::worker::expire_unanswered(&services, config.worker_batch).await?;
        println!("applied {} rejected {}", r.applied, r.rejected);
        println!("expired {expired}");
        if deliver {
            println!("delivery attempts {}", deliverer.drain().await?);
        }
        return Ok(());
    }
    let shutdown = app::shutdown_signal();
    let delivery = async {
        if deliver {
            deliverer.run(shutdown.clone()).await;
        }
    };
    tokio::join!(
        crate::worker::run(services, app::worker_config(&config), shutdown.clone()),
        delivery,
    );
    Ok(())
}
