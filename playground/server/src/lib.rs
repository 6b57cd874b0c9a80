//! The developer playground's server, with the reference backend for `<anypoint-signin exchangeuri>`.
//!
//! One router serves three things: the site's pages (HTML with `{{ISSUER}}`, `{{ORIGIN}}` and
//! `{{CLIENT_ID}}` filled in, see [`pages`]), the built element under `/anypoint-signin/`, and
//! `POST /api/exchange`: [`anypoint_signin_server`]'s confidential-client exchange, which adds the client
//! secret the browser never sees.

pub mod config;
pub mod pages;

use axum::Router;
use std::sync::Arc;
use tokio::net::TcpListener;
use tower_http::compression::CompressionLayer;
use tower_http::services::ServeDir;

pub use config::Config;

/// What the pages share: the configuration and the origin the site is reachable at.
pub struct Site {
    pub config: Config,
    /// `http://host:port` as bound (the port may have been 0 in the configuration).
    pub origin: String,
}

/// The whole site for `config`, served at `origin`.
pub fn router(config: Config, origin: String) -> Router {
    // Gzip, as a CDN would send the files (compressed on each request: the wasm in about 10 ms).
    let dist = Router::new()
        .fallback_service(ServeDir::new(&config.dist))
        .layer(CompressionLayer::new());
    let exchange = anypoint_signin_server::router(config.exchange.clone());
    Router::new()
        .nest("/anypoint-signin", dist)
        .fallback(pages::handle)
        .with_state(Arc::new(Site { config, origin }))
        .merge(exchange)
}

/// Binds `config.addr` and returns the listener with the site's origin, ready for [`serve`].
pub async fn bind(config: &Config) -> std::io::Result<(TcpListener, String)> {
    let listener = TcpListener::bind(config.addr).await?;
    let origin = format!("http://{}", listener.local_addr()?);
    Ok((listener, origin))
}

/// Serves the site on `listener` until the process ends.
pub async fn serve(listener: TcpListener, config: Config, origin: String) -> std::io::Result<()> {
    axum::serve(listener, router(config, origin)).await
}
