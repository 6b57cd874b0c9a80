//! DPoP in the browser: a session's key (Web Crypto through `js/dpop.js`: ECDSA P-256, its private half
//! unexportable), kept where its session is kept ([`key_store`]); each request's proof, signed with it; the
//! servers' latest nonces ([`nonces`]). What a proof says, and every decision about it, is the core's
//! ([`anypoint_signin_core::dpop`]).

pub(crate) mod key_store;
pub(crate) mod nonces;

use js_sys::{Promise, Uint8Array};
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;

use crate::controller::now;
use crate::{address, json, page};
use anypoint_signin_core::dpop::key::{Jwk, PublicKey};
use anypoint_signin_core::dpop::nonce::Nonce;
use anypoint_signin_core::dpop::proof::Proof;
use anypoint_signin_core::error::{Code, Error};

#[wasm_bindgen(module = "/js/dpop.js")]
extern "C" {
    #[wasm_bindgen(js_name = dpopGenerate)]
    fn generate() -> Promise;
    #[wasm_bindgen(js_name = dpopPublicJwk)]
    fn public_jwk(pair: &JsValue) -> Promise;
    #[wasm_bindgen(js_name = dpopSign)]
    fn sign(pair: &JsValue, text: &str) -> Promise;
}

/// A session's key: the Web Crypto pair, and its public half as proofs carry it.
#[derive(Clone)]
pub(crate) struct DpopKey {
    pair: JsValue,
    public: PublicKey,
}

/// The error of a Web Crypto call that failed.
fn crypto_failed(what: &str, e: JsValue) -> Error {
    Error::new(
        Code::UnsupportedBrowser,
        format!(
            "The browser's Web Crypto could not {what} the DPoP key ({}). Set dpop=\"off\" to sign in without it.",
            js_sys::Error::from(e).message()
        ),
    )
}

impl DpopKey {
    /// A new key, not kept anywhere yet.
    async fn generate() -> Result<DpopKey, Error> {
        let pair = JsFuture::from(generate())
            .await
            .map_err(|e| crypto_failed("make", e))?;
        DpopKey::from_pair(pair).await
    }

    /// The key of a Web Crypto pair, its public half exported and checked.
    async fn from_pair(pair: JsValue) -> Result<DpopKey, Error> {
        let jwk = JsFuture::from(public_jwk(&pair))
            .await
            .map_err(|e| crypto_failed("export the public half of", e))?;
        let jwk: Jwk = json::from_js(jwk).map_err(|why| {
            Error::new(
                Code::UnsupportedBrowser,
                format!("The browser's Web Crypto exported a DPoP key that is not a JWK: {why}."),
            )
        })?;
        Ok(DpopKey {
            public: PublicKey::from_jwk(jwk)?,
            pair,
        })
    }

    /// Its thumbprint (RFC 7638): its bound tokens' `cnf.jkt`.
    pub(crate) fn thumbprint(&self) -> String {
        self.public.thumbprint()
    }

    /// A fresh proof for `method` on `url`, presenting `access_token` if given, with the server's latest
    /// nonce; and that nonce, to tell a retry from the first try.
    pub(crate) async fn proof(
        &self,
        method: &str,
        url: &str,
        access_token: Option<&str>,
    ) -> Result<(String, Option<Nonce>), Error> {
        let url = address::parse_url(url, None).ok_or_else(|| {
            Error::new(
                Code::InvalidAttribute,
                format!("\"{url}\" is not a URL a DPoP proof can name."),
            )
        })?;
        let nonce = nonces::latest(&url.origin);
        let mut jti = [0; 32];
        page::fill_random(&mut jti)?;
        let input = Proof {
            key: &self.public,
            method,
            url: &url,
            iat: (now() / 1000.0) as u64,
            jti: &jti,
            nonce: nonce.as_ref(),
            access_token,
        }
        .signing_input();
        let signature = JsFuture::from(sign(&self.pair, input.as_str()))
            .await
            .map_err(|e| crypto_failed("sign with", e))?;
        let proof = input.with_signature(&Uint8Array::new(&signature).to_vec())?;
        Ok((proof, nonce))
    }
}
