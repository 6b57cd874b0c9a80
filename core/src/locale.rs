//! The element's words in its built-in languages, picked from a BCP 47 tag.
//!
//! Error messages stay in English (they are for developers, and go to the console too); what a user reads on
//! the button and hears from a screen reader is translated.

/// The texts of one language.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Labels {
    /// The language's primary subtag, for the element's `lang`.
    pub lang: &'static str,
    /// The sign-in button.
    pub sign_in: &'static str,
    /// The button while redirecting or finishing a sign-in.
    pub signing_in: &'static str,
    /// The sign-out button.
    pub sign_out: &'static str,
    /// The signed-in line; `{}` stands for the user's name.
    pub signed_in_as: &'static str,
    /// Announced after a sign-out.
    pub signed_out: &'static str,
    /// Shown and announced when the session expired and could not be renewed.
    pub expired: &'static str,
    /// The sign-in button after a failure.
    pub try_again: &'static str,
    /// The name shown when the server gave none.
    pub user: &'static str,
}

impl Labels {
    /// The signed-in line split around the name, so the name can be emphasised wherever the language puts it.
    pub fn around_name(&self) -> (&'static str, &'static str) {
        // `{` marks the place (a one-character search: no substring searcher in the wasm for this alone).
        match self.signed_in_as.find('{') {
            Some(i) => (&self.signed_in_as[..i], &self.signed_in_as[i + 2..]),
            None => (self.signed_in_as, ""),
        }
    }

    /// The signed-in line for `name`.
    pub fn signed_in_as(&self, name: &str) -> String {
        let (before, after) = self.around_name();
        format!("{before}{name}{after}")
    }
}

/// The built-in languages; the first is the fallback.
pub const LANGUAGES: [Labels; 6] = [
    Labels {
        lang: "en",
        sign_in: "Sign in with Anypoint Platform",
        signing_in: "Signing in…",
        sign_out: "Sign out",
        signed_in_as: "Signed in as {}",
        signed_out: "Signed out.",
        expired: "Your session expired. Please sign in again.",
        try_again: "Try again",
        user: "Anypoint user",
    },
    Labels {
        lang: "es",
        sign_in: "Iniciar sesión con Anypoint Platform",
        signing_in: "Iniciando sesión…",
        sign_out: "Cerrar sesión",
        signed_in_as: "Sesión iniciada como {}",
        signed_out: "Sesión cerrada.",
        expired: "Tu sesión ha caducado. Vuelve a iniciar sesión.",
        try_again: "Reintentar",
        user: "Usuario de Anypoint",
    },
    Labels {
        lang: "fr",
        sign_in: "Se connecter avec Anypoint Platform",
        signing_in: "Connexion en cours…",
        sign_out: "Se déconnecter",
        signed_in_as: "Connecté en tant que {}",
        signed_out: "Déconnecté.",
        expired: "Votre session a expiré. Veuillez vous reconnecter.",
        try_again: "Réessayer",
        user: "Utilisateur Anypoint",
    },
    Labels {
        lang: "de",
        sign_in: "Mit Anypoint Platform anmelden",
        signing_in: "Anmeldung läuft…",
        sign_out: "Abmelden",
        signed_in_as: "Angemeldet als {}",
        signed_out: "Abgemeldet.",
        expired: "Ihre Sitzung ist abgelaufen. Bitte melden Sie sich erneut an.",
        try_again: "Erneut versuchen",
        user: "Anypoint-Benutzer",
    },
    Labels {
        lang: "ja",
        sign_in: "Anypoint Platform でサインイン",
        signing_in: "サインインしています…",
        sign_out: "サインアウト",
        signed_in_as: "{} としてサインイン中",
        signed_out: "サインアウトしました。",
        expired: "セッションの有効期限が切れました。もう一度サインインしてください。",
        try_again: "再試行",
        user: "Anypoint ユーザー",
    },
    Labels {
        lang: "pt",
        sign_in: "Entrar com a Anypoint Platform",
        signing_in: "Entrando…",
        sign_out: "Sair",
        signed_in_as: "Conectado como {}",
        signed_out: "Você saiu.",
        expired: "Sua sessão expirou. Entre novamente.",
        try_again: "Tentar novamente",
        user: "Usuário da Anypoint",
    },
];

/// The labels for the first tag of `tags` (most preferred first) whose language is built in; English when
/// none is. Only the primary subtag counts: `pt-BR`, `de-CH` and `es-419` get their language's labels.
pub fn labels<'a>(tags: impl IntoIterator<Item = &'a str>) -> &'static Labels {
    tags.into_iter()
        .filter_map(|tag| {
            let primary = tag.trim().split(['-', '_']).next()?;
            LANGUAGES
                .iter()
                .find(|l| l.lang.eq_ignore_ascii_case(primary))
        })
        .next()
        .unwrap_or(&LANGUAGES[0])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_primary_subtag_picks_the_language() {
        assert_eq!(labels(["pt-BR"]).lang, "pt");
        assert_eq!(labels(["DE_ch"]).lang, "de");
        assert_eq!(labels(["es-419"]).lang, "es");
        assert_eq!(labels([" ja "]).lang, "ja");
        assert_eq!(labels(["fr"]).sign_out, "Se déconnecter");
    }

    #[test]
    fn unknown_or_empty_tags_fall_through_to_the_next_then_english() {
        assert_eq!(labels(["", "x-klingon", "fr-CA"]).lang, "fr");
        assert_eq!(labels(["zh-Hans"]).lang, "en");
        assert_eq!(labels([]).sign_in, "Sign in with Anypoint Platform");
        assert_eq!(
            labels(["english"]).lang,
            "en",
            "a word is not a tag, but falls back"
        );
    }

    #[test]
    fn every_language_is_complete_and_places_the_name_once() {
        for l in LANGUAGES {
            let texts = [
                l.sign_in,
                l.signing_in,
                l.sign_out,
                l.signed_out,
                l.expired,
                l.try_again,
                l.user,
            ];
            assert!(texts.iter().all(|t| !t.trim().is_empty()), "{}", l.lang);
            assert_eq!(l.signed_in_as.matches("{}").count(), 1, "{}", l.lang);
            assert!(
                l.signed_in_as("Max Mule").contains("Max Mule"),
                "{}",
                l.lang
            );
        }
        assert_eq!(labels(["ja"]).signed_in_as("Max"), "Max としてサインイン中");
        assert_eq!(labels(["ja"]).around_name(), ("", " としてサインイン中"));
        let langs: Vec<_> = LANGUAGES.iter().map(|l| l.lang).collect();
        assert_eq!(langs, ["en", "es", "fr", "de", "ja", "pt"]);
    }
}
