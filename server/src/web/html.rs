//! The pages' HTML: one layout (viewport meta for phones, a few lines of CSS, visible focus)
//! and one function per page. Pure functions of what the page shows; every value written into
//! the HTML goes through [`esc`].
//!
//! Accessibility: every field has a `<label>`, errors and notices are `role="alert"` /
//! `role="status"` next to what they are about, the first field of a form is focused, and the
//! tab order is the reading order (no `tabindex`). The push wait announces its progress
//! through an `aria-live` region. The only script is the push wait's poll; without script its
//! "Continue" button does the same.

use twostep_core::protocol::MethodSummary;

/// The pages' Content-Security-Policy: nothing from elsewhere, and of inline code only the
/// one style sheet and the one script below, named by their SHA-256 (so an injected `<script>`
/// or `style=` would not run even if escaping ever failed); forms post here only, and no
/// other site may frame a page (clickjacking the "Approve" of a sign-in).
/// Built once (two hashes), handed out as a header value at no cost per response.
pub fn content_security_policy() -> axum::http::HeaderValue {
    static POLICY: std::sync::OnceLock<axum::http::HeaderValue> = std::sync::OnceLock::new();
    let policy = POLICY.get_or_init(|| {
        let hash = |text: &str| {
            let digest = ring::digest::digest(&ring::digest::SHA256, text.as_bytes());
            format!("'sha256-{}'", data_encoding::BASE64.encode(digest.as_ref()))
        };
        let policy = format!(
            "default-src 'none'; style-src {}; script-src {}; connect-src 'self'; form-action 'self'; \
             frame-ancestors 'none'; base-uri 'none'",
            hash(STYLE),
            hash(WAIT_SCRIPT)
        );
        // Base64 and ASCII words only: always a valid header value.
        axum::http::HeaderValue::from_str(&policy).expect("a CSP of ASCII text")
    });
    policy.clone()
}

pub fn esc(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

const STYLE: &str = "body{font:1.05rem/1.5 system-ui,sans-serif;margin:0;background:#f4f5f7;color:#111}\
main{max-width:26rem;margin:0 auto;padding:1.25rem}\
h1{font-size:1.45rem;margin:.2rem 0 1rem}\
.brand{font-weight:700;color:#225;letter-spacing:.02em;margin:0}\
form{margin:1rem 0}label{display:block;font-weight:600;margin:.8rem 0 .25rem}\
input[type=email],input[type=password],input[type=text],select{width:100%;box-sizing:border-box;font:inherit;padding:.6rem;border:1px solid #777;border-radius:.35rem;background:#fff}\
.check{display:flex;gap:.5rem;align-items:center;font-weight:400}.check input{width:1.2rem;height:1.2rem}\
button{font:inherit;font-weight:600;padding:.65rem 1rem;margin:.6rem 0 0;border-radius:.35rem;border:1px solid #1b4f8a;background:#1b4f8a;color:#fff;width:100%}\
button.link{background:none;color:#1b4f8a;border:none;text-decoration:underline;padding:.3rem 0;width:auto;font-weight:400}\
button.plain{background:#fff;color:#1b4f8a}\
:focus-visible{outline:3px solid #e8a317;outline-offset:2px}\
.alert{background:#fde8e8;border-left:4px solid #b3261e;padding:.6rem .8rem;margin:.8rem 0}\
.note{background:#fff6dd;border-left:4px solid #b58400;padding:.6rem .8rem;margin:.8rem 0}\
.ok{background:#e6f4ea;border-left:4px solid #1e7d32;padding:.6rem .8rem;margin:.8rem 0}\
.number{font-size:3.5rem;font-weight:800;text-align:center;letter-spacing:.1em;margin:.5rem 0;color:#1b4f8a}\
dl{display:grid;grid-template-columns:auto 1fr;gap:.3rem 1rem}dt{font-weight:600}dd{margin:0}\
h2{font-size:1.15rem;margin:.6rem 0}fieldset{border:1px solid #bbb;border-radius:.5rem;margin:1rem 0;padding:.2rem 1rem .8rem}legend{font-weight:700;padding:0 .3rem}code{word-break:break-all;background:#fff;padding:.1rem .3rem}section{background:#fff;border-radius:.5rem;padding:.4rem 1rem;margin:1rem 0;box-shadow:0 1px 2px #0002}";

fn layout(title: &str, body: &str) -> String {
    format!(
        "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\">\
<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
<title>{title} – Twostep Seller</title><style>{STYLE}</style></head>\
<body><main><p class=\"brand\">Twostep Seller</p>{body}</main></body></html>",
        title = esc(title),
    )
}

fn alert(error: Option<&str>) -> String {
    error.map(|e| format!("<p id=\"error\" class=\"alert\" role=\"alert\">{}</p>", esc(e))).unwrap_or_default()
}

fn csrf_field(csrf: &str) -> String {
    format!("<input type=\"hidden\" name=\"csrf\" value=\"{}\">", esc(csrf))
}

pub fn sign_in(email: &str, error: Option<&str>, notice: Option<&str>, csrf: &str) -> String {
    let notice =
        notice.map(|n| format!("<p id=\"notice\" class=\"ok\" role=\"status\">{}</p>", esc(n))).unwrap_or_default();
    layout(
        "Sign in",
        &format!(
            "<h1>Sign in</h1>{notice}{alert}\
<form method=\"post\" action=\"/signin\">{csrf}\
<label for=\"email\">Email</label>\
<input id=\"email\" name=\"email\" type=\"email\" autocomplete=\"username\" required value=\"{email}\" autofocus>\
<label for=\"password\">Password</label>\
<input id=\"password\" name=\"password\" type=\"password\" autocomplete=\"current-password\" required>\
<button id=\"sign-in\" type=\"submit\">Sign in</button></form>",
            alert = alert(error),
            csrf = csrf_field(csrf),
            email = esc(email),
        ),
    )
}

/// The code prompt of one sign-in attempt.
pub struct CodePage<'a> {
    pub attempt: &'a str,
    pub role: &'a str,
    pub method: &'a MethodSummary,
    /// Where the code went, in core's words.
    pub instruction: &'a str,
    /// "Didn't receive the code?" (a button) or the account-recovery words (text).
    pub link: &'a str,
    pub can_use_backup: bool,
    pub push_available: bool,
    pub remember_label: &'a str,
    /// Why this browser is asked for a code (trust lost, no cookie, cookies blocked).
    pub why_asked: Option<&'a str>,
    pub error: Option<&'a str>,
    pub csrf: &'a str,
}

pub fn code_prompt(p: &CodePage<'_>) -> String {
    let why = p.why_asked.map(|w| format!("<p id=\"why-asked\" class=\"note\">{}</p>", esc(w))).unwrap_or_default();
    let push = if p.push_available {
        "<button id=\"push\" class=\"plain\" type=\"submit\" formaction=\"/signin/push\" formnovalidate>\
Approve on my phone instead</button>"
            .to_owned()
    } else {
        String::new()
    };
    let link = if p.can_use_backup {
        format!(
            "<form method=\"post\" action=\"/signin/backup\">{csrf}<input type=\"hidden\" name=\"attempt\" value=\"{attempt}\">\
<button id=\"didnt-receive\" class=\"link\" type=\"submit\">{link}</button></form>",
            csrf = csrf_field(p.csrf),
            attempt = esc(p.attempt),
            link = esc(p.link),
        )
    } else {
        format!("<p id=\"recovery\">{}</p>", esc(p.link))
    };
    layout(
        "Two-step verification",
        &format!(
            "<h1>Two-step verification</h1>{why}\
<p id=\"instruction\">{instruction}</p>{alert}\
<form method=\"post\" action=\"/signin/code\">{csrf}\
<input type=\"hidden\" name=\"attempt\" value=\"{attempt}\"><input type=\"hidden\" name=\"role\" value=\"{role}\">\
<label for=\"code\">Code ({label})</label>\
<input id=\"code\" name=\"code\" type=\"text\" inputmode=\"numeric\" autocomplete=\"one-time-code\" pattern=\"[0-9 ]{{6,7}}\" maxlength=\"7\" required autofocus>\
<label class=\"check\" for=\"remember\"><input id=\"remember\" name=\"remember\" type=\"checkbox\" value=\"yes\">{remember}</label>\
<button id=\"verify\" type=\"submit\">Sign in</button>{push}</form>{link}",
            instruction = esc(p.instruction),
            alert = alert(p.error),
            csrf = csrf_field(p.csrf),
            attempt = esc(p.attempt),
            role = esc(p.role),
            label = esc(&p.method.label),
            remember = esc(p.remember_label),
        ),
    )
}

/// Polls `POST /signin/wait` every second and follows its answer; the button does the same
/// without script.
const WAIT_SCRIPT: &str = "(function(){var f=document.getElementById('wait'),s=document.getElementById('status');\
function poll(){fetch('/signin/wait',{method:'POST',headers:{'Accept':'application/json'},body:new URLSearchParams(new FormData(f))})\
.then(function(r){return r.json()}).then(function(a){if(a.next){location.assign(a.next)}else if(a.message){s.textContent=a.message;\
s.className='alert';document.getElementById('asked').hidden=true;f.hidden=true;var g=document.getElementById('again');\
g.hidden=false;g.querySelector('a').focus()}else{setTimeout(poll,1000)}})\
.catch(function(){setTimeout(poll,2000)})}setTimeout(poll,1000)})();";

pub fn push_wait(attempt: &str, number: u32, csrf: &str) -> String {
    layout(
        "Approve on your phone",
        &format!(
            "<h1>Approve on your phone</h1>\
<div id=\"asked\"><p>We sent a sign-in request to your phone. Open it and type this number to approve:</p>\
<p id=\"number\" class=\"number\" aria-label=\"Number to type on your phone: {number}\">{number}</p></div>\
<p id=\"status\" role=\"status\" aria-live=\"polite\">Waiting for your phone…</p>\
<form id=\"wait\" method=\"post\" action=\"/signin/wait\">{csrf}<input type=\"hidden\" name=\"attempt\" value=\"{attempt}\">\
<input type=\"hidden\" name=\"number\" value=\"{number}\">\
<button id=\"continue\" class=\"plain\" type=\"submit\">I approved it: continue</button></form>\
<p id=\"again\" hidden><a href=\"/signin\">Sign in again</a></p>\
<script>{WAIT_SCRIPT}</script>",
            csrf = csrf_field(csrf),
            attempt = esc(attempt),
        ),
    )
}

/// A sign-in that is over: why, and the way on.
pub fn stopped(message: &str) -> String {
    layout(
        "Sign-in stopped",
        &format!(
            "<h1>Sign-in stopped</h1><p id=\"error\" class=\"alert\" role=\"alert\">{}</p>\
<p><a id=\"again\" href=\"/signin\" autofocus>Sign in again</a></p>",
            esc(message)
        ),
    )
}

/// Signed in, but the browser keeps no cookie: the session ends with this page.
pub fn signed_in_without_cookies(message: &str) -> String {
    layout(
        "Signed in",
        &format!(
            "<h1>Signed in</h1><p id=\"why-asked\" class=\"note\" role=\"status\">{}</p>\
<p><a href=\"/signin\">Back to sign in</a></p>",
            esc(message)
        ),
    )
}

/// A form that did not come from this site.
pub fn refused() -> String {
    layout(
        "Refused",
        "<h1>Request refused</h1><p id=\"error\" class=\"alert\" role=\"alert\">This form was not sent from this \
site's own pages, so nothing was done. If you were using Twostep Seller, go back to \
<a href=\"/settings\">your settings</a> and try again.</p>",
    )
}

/// Advanced Security Settings.
pub struct SettingsPage<'a> {
    pub email: &'a str,
    /// The methods in a few words, numbers masked (core's `Method::description`).
    pub primary: &'a str,
    pub backup: &'a str,
    pub trusted_label: &'a str,
    pub require_codes_label: &'a str,
    pub notice: Option<&'a str>,
    pub error: Option<&'a str>,
    pub csrf: &'a str,
}

pub fn settings(p: &SettingsPage<'_>) -> String {
    let notice =
        p.notice.map(|n| format!("<p id=\"notice\" class=\"ok\" role=\"status\">{}</p>", esc(n))).unwrap_or_default();
    layout(
        "Advanced Security Settings",
        &format!(
            "<h1>Advanced Security Settings</h1><p>Signed in as <strong id=\"email\">{email}</strong></p>{notice}{alert}\
<section aria-labelledby=\"methods-h\"><h2 id=\"methods-h\">Two-step verification</h2><dl>\
<dt>Primary</dt><dd id=\"primary\">{primary}</dd><dt>Backup</dt><dd id=\"backup\">{backup}</dd></dl></section>\
<section aria-labelledby=\"trust-h\"><h2 id=\"trust-h\">Trusted devices</h2><p id=\"trusted-count\">{trusted}</p>\
<form method=\"post\" action=\"/settings/require-codes\">{csrf}\
<button id=\"require-codes\" class=\"plain\" type=\"submit\">{require}</button></form></section>\
<form method=\"post\" action=\"/signout\">{csrf}<button id=\"sign-out\" type=\"submit\">Sign out</button></form>",
            email = esc(p.email),
            alert = alert(p.error),
            primary = esc(p.primary),
            backup = esc(p.backup),
            trusted = esc(p.trusted_label),
            require = esc(p.require_codes_label),
            csrf = csrf_field(p.csrf),
        ),
    )
}

/// One method's choice on the enrollment form.
pub struct MethodFields<'a> {
    /// `primary` or `backup`.
    pub role: &'a str,
    /// The kinds offered: form value and the seed's name.
    pub kinds: &'a [(&'a str, &'a str)],
    pub kind: &'a str,
    pub number: &'a str,
    pub landline: bool,
}

fn method_fieldset(m: &MethodFields<'_>, legend: &str) -> String {
    let options: String = m
        .kinds
        .iter()
        .map(|(value, label)| {
            let selected = if *value == m.kind { " selected" } else { "" };
            format!("<option value=\"{}\"{selected}>{}</option>", esc(value), esc(label))
        })
        .collect();
    format!(
        "<fieldset><legend>{legend}</legend>\
<label for=\"{r}-kind\">Method</label><select id=\"{r}-kind\" name=\"{r}_kind\"{af}>{options}</select>\
<label for=\"{r}-number\">Phone number, with country code (not needed for an app)</label>\
<input id=\"{r}-number\" name=\"{r}_number\" type=\"text\" inputmode=\"tel\" autocomplete=\"tel\" value=\"{number}\">\
<label class=\"check\" for=\"{r}-landline\"><input id=\"{r}-landline\" name=\"{r}_landline\" type=\"checkbox\" value=\"yes\"{checked}>\
This number is a landline (voice calls only)</label></fieldset>",
        legend = esc(legend),
        r = esc(m.role),
        number = esc(m.number),
        checked = if m.landline { " checked" } else { "" },
        af = if m.role == "primary" { " autofocus" } else { "" },
    )
}

/// Turning two-step verification on: a primary and a backup method.
pub fn enroll(
    email: &str,
    primary: &MethodFields<'_>,
    backup: &MethodFields<'_>,
    error: Option<&str>,
    csrf: &str,
) -> String {
    layout(
        "Turn on two-step verification",
        &format!(
            "<h1>Turn on two-step verification</h1><p>Signed in as <strong id=\"email\">{email}</strong>. \
Choose a primary method and a backup method: codes go to the primary, and \"Didn't receive the code?\" sends \
them to the backup.</p>{alert}<form method=\"post\" action=\"/enroll\">{csrf}{primary}{backup}\
<button id=\"enroll\" type=\"submit\">Continue</button></form>",
            email = esc(email),
            alert = alert(error),
            csrf = csrf_field(csrf),
            primary = method_fieldset(primary, "Primary method"),
            backup = method_fieldset(backup, "Backup method"),
        ),
    )
}

/// The codes that prove each new method works.
pub struct VerifyPage<'a> {
    /// The key for the authenticator app, shown once, right after it was made.
    pub authenticator: Option<(&'a str, &'a str)>,
    /// Each method still to verify: role (`primary`/`backup`) and its description.
    pub pending: &'a [(&'a str, String)],
    pub error: Option<&'a str>,
    pub csrf: &'a str,
}

pub fn enroll_verify(p: &VerifyPage<'_>) -> String {
    let key = p
        .authenticator
        .map(|(secret, uri)| {
            format!(
                "<section aria-labelledby=\"key-h\"><h2 id=\"key-h\">Add this key to your authenticator app</h2>\
<p>Key: <code id=\"secret\">{}</code></p><p>Or open this link on the phone: <code id=\"otpauth\">{}</code></p></section>",
                esc(secret),
                esc(uri)
            )
        })
        .unwrap_or_default();
    let fields: String = p
        .pending
        .iter()
        .enumerate()
        .map(|(i, (role, description))| {
            format!(
                "<label for=\"code-{r}\">Code from {d}</label>\
<input id=\"code-{r}\" name=\"code_{r}\" type=\"text\" inputmode=\"numeric\" autocomplete=\"one-time-code\" maxlength=\"7\" required{af}>",
                r = esc(role),
                d = esc(description),
                af = if i == 0 { " autofocus" } else { "" },
            )
        })
        .collect();
    layout(
        "Confirm your methods",
        &format!(
            "<h1>Confirm your methods</h1>{key}<p>Enter a code from each method to turn two-step verification on.</p>{alert}\
<form method=\"post\" action=\"/enroll/verify\">{csrf}{fields}<button id=\"confirm\" type=\"submit\">Turn on</button></form>",
            alert = alert(p.error),
            csrf = csrf_field(p.csrf),
        ),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_are_escaped() {
        assert_eq!(esc("<a href=\"x\">'&'</a>"), "&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;");
        let page = sign_in("\"><script>", None, None, "t");
        assert!(!page.contains("\"><script>"), "{page}");
    }
}
