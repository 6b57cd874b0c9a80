//! `playground-server`: serves the playground (or any folder of pages) with the built element and the
//! backend code exchange. Configured by environment variables (see `Config`); prints
//! `listening on http://HOST:PORT` once it accepts connections.

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
    println!("listening on {origin}");
    match serve(listener, config, origin).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("playground-server: {e}");
            ExitCode::FAILURE
        }
    }
}
