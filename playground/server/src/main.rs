//! `playground-server`: serves the playground (or any folder of pages) with the built element and the
//! backend exchange (anypoint-signin-server). Configured by environment variables (see `Config`); prints
//! `listening on http://HOST:PORT` once it accepts connections. With `PLAYGROUND_STOP_ON_EOF` set it also
//! stops when its stdin ends (how playground/serve.mjs makes sure it never outlives its parent).

use anypoint_signin_playground::{Config, bind, serve};
use std::process::ExitCode;

#[tokio::main]
async fn main() -> ExitCode {
    let config = match Config::from_vars(&std::env::vars().collect()) {
        Ok(config) => config,
        Err(why) => {
            eprintln!("playground-server: {why}");
            return ExitCode::from(2);
        }
    };
    let (listener, origin) = match bind(&config).await {
        Ok(bound) => bound,
        Err(e) if e.kind() == std::io::ErrorKind::AddrInUse => {
            eprintln!(
                "playground-server: port {} is already in use",
                config.addr.port()
            );
            return ExitCode::from(3);
        }
        Err(e) => {
            eprintln!("playground-server: cannot listen on {}: {e}", config.addr);
            return ExitCode::from(2);
        }
    };
    if std::env::var_os("PLAYGROUND_STOP_ON_EOF").is_some() {
        // Started by playground/serve.mjs with stdin as a pipe: its end means the parent is gone.
        tokio::spawn(async {
            let mut sink = tokio::io::sink();
            let _ = tokio::io::copy(&mut tokio::io::stdin(), &mut sink).await;
            std::process::exit(0);
        });
    }
    println!("listening on {origin}");
    match serve(listener, config, origin).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("playground-server: {e}");
            ExitCode::FAILURE
        }
    }
}
