//! The site's pages: any other GET. HTML pages get `{{ISSUER}}`, `{{ORIGIN}}` and `{{CLIENT_ID}}` (the
//! confidential app the exchange accepts) filled in, so one folder of pages works on any port; everything
//! else in the folder is a static file.

use crate::Site;
use axum::extract::{Request, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use std::path::{Component, Path};
use std::sync::Arc;
use tower::ServiceExt;
use tower_http::services::ServeDir;

/// The handler.
pub async fn handle(State(site): State<Arc<Site>>, request: Request) -> Response {
    let path = request.uri().path().trim_start_matches('/');
    let page = if path.is_empty() || path.ends_with('/') {
        format!("{path}index.html")
    } else {
        path.to_owned()
    };
    if !page.ends_with(".html") {
        return match ServeDir::new(&site.config.pages).oneshot(request).await {
            Ok(response) => response.into_response(),
            Err(never) => match never {},
        };
    }
    if !Path::new(&page)
        .components()
        .all(|c| matches!(c, Component::Normal(_)))
    {
        return (StatusCode::NOT_FOUND, "not found").into_response();
    }
    match tokio::fs::read_to_string(site.config.pages.join(&page)).await {
        Ok(html) => {
            let html = html
                .replace("{{ISSUER}}", site.config.exchange.issuer())
                .replace("{{ORIGIN}}", &site.origin)
                .replace("{{CLIENT_ID}}", site.config.exchange.client_id());
            let headers = [
                (header::CONTENT_TYPE, "text/html; charset=utf-8"),
                (header::CACHE_CONTROL, "no-store"),
            ];
            (headers, html).into_response()
        }
        Err(_) => (StatusCode::NOT_FOUND, "not found").into_response(),
    }
}
