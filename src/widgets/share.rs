//! The agreement sent to the partner by link, and a link's draft opened.
//!
//! A link carries the whole draft file after its `#` ([`HASH`]): compressed
//! and encrypted with a key that is part of that fragment, which browsers
//! never send to any server. The document's module makes the link, draws it
//! with its QR code, and opens a link the page was loaded with: the draft
//! goes to the builder the way an opened draft file does, after it has been
//! set against the draft this device had (see [`arrive`]). All of it is the
//! second module's; the builder draws only the place it goes in. Pure:
//! tested natively.

use crate::i18n::{self, Key, Locale};
use crate::markup::H;
use crate::model::form::Values;
use crate::model::num::Digits;
use crate::model::signing;
use crate::widgets::action::{Action, Format};
use crate::widgets::common::Draw;

/// How a link's fragment begins.
pub const HASH: &str = "#mentorkit-draft=";

/// The longest link offered, in characters: longer ones are cut short by
/// some mail and chat programs, and the draft goes as a file instead.
pub const MAX_LINK: usize = 8000;

/// The attribute of the sections whose buttons the module hears.
pub const FOR: &str = "document";

/// What the share section's and the arrival's buttons ask.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Act {
    /// Make a link of the draft as it is now.
    Make,
    /// Copy the link.
    Copy,
    /// Keep the draft the link brought.
    KeepLink,
    /// Go back to the draft this device had before the link.
    KeepMine,
}

impl Act {
    /// Every act, for the round trip.
    pub const ALL: [Act; 4] = [Act::Make, Act::Copy, Act::KeepLink, Act::KeepMine];

    /// The act as its button's [`crate::widgets::device::ACT`] names it.
    pub fn name(self) -> &'static str {
        match self {
            Act::Make => "link",
            Act::Copy => "copy-link",
            Act::KeepLink => "keep-link",
            Act::KeepMine => "keep-mine",
        }
    }

    /// The act named `name`, if it is one.
    pub fn from_name(name: &str) -> Option<Act> {
        Act::ALL.into_iter().find(|a| a.name() == name)
    }
}

/// The link last made.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub enum Link {
    /// None yet.
    #[default]
    None,
    /// Made of the draft `of`: the link, and its QR code as SVG unless it is
    /// too long for one.
    Made {
        /// The link.
        link: String,
        /// Its QR code.
        qr: Option<String>,
        /// The draft it carries.
        of: Values,
    },
    /// The draft makes a link of this many characters: too long.
    TooLong(usize),
    /// The browser could not make one (no secure context, no encryption or
    /// compression).
    Failed,
}

/// A link's draft that differs from the one this device had.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Arrived {
    /// The draft this device had, kept until the person chooses.
    pub earlier: Values,
    /// The key it is set aside under meanwhile.
    pub aside: String,
}

/// What the module keeps about links between drawings.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Share {
    /// The link last made.
    pub link: Link,
    /// Whether copying the link worked, once tried.
    pub copied: Option<bool>,
    /// A link's draft is open that differs from the one this device had.
    pub arrived: Option<Arrived>,
    /// The person kept the link's draft (said once).
    pub kept: bool,
    /// The next drawing marks where focus goes (after an act).
    pub focus: bool,
}

/// What opening a link does with the draft this device had.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Arrival {
    /// The draft to open.
    pub open: Values,
    /// Whether to ask which to keep: the content differs.
    pub ask: bool,
}

/// Sets the draft a link brought (`incoming`) against the one this device
/// had (`earlier`; none if it never saved one). The same content is opened at once, with the
/// signatures of both (a partner's signature added to one's own); other
/// content is opened and the person asked which to keep.
pub fn arrive(earlier: Option<&Values>, incoming: Values) -> Arrival {
    let Some(earlier) = earlier else { return Arrival { open: incoming, ask: false } };
    if signing::fingerprint(&on_branches(earlier)) != signing::fingerprint(&on_branches(&incoming)) {
        return Arrival { open: incoming, ask: true };
    }
    let content = signing::fingerprint(&incoming);
    let mut open = incoming;
    for party in ["mentee", "mentor", "guardian"] {
        let field = |name: &str| ["sign.", party, ".", name].concat();
        let signed_here = earlier.get(&field("fingerprint")) == content && !earlier.get(&field("name")).is_empty();
        if signed_here && open.get(&field("name")).is_empty() {
            for name in ["name", "at", "fingerprint"] {
                open.set(&field(name), earlier.get(&field(name)).to_owned());
            }
        }
    }
    Arrival { open, ask: false }
}

/// What of `values` the agreement says, whatever the programme: what was
/// typed on a branch left (custom meetings, then a set rhythm chosen) or
/// beyond the goal count is left out, as signing leaves it out.
pub fn on_branches(values: &Values) -> Values {
    use crate::model::form::{place, shown};
    values.filtered(|path| match place(crate::model::agreement::STEPS, path) {
        Some(at) => at.group.repeat.is_none_or(|repeat| at.item <= values.count(&repeat)) && shown(at.field, values),
        None => true,
    })
}

/// A link to `page` (without its fragment) carrying `sealed`, the draft as
/// the browser sealed it.
pub fn link(page: &str, sealed: &str) -> String {
    let page = page.split('#').next().unwrap_or_default();
    [page, HASH, sealed].concat()
}

/// What the fragment `hash` carries, if it is a link's.
pub fn sealed_in(hash: &str) -> Option<&str> {
    hash.strip_prefix(HASH).filter(|s| !s.is_empty())
}

/// `link` made for the draft `of`: too long, or with its QR code.
pub fn made(link: String, of: Values) -> Link {
    if link.len() > MAX_LINK {
        return Link::TooLong(link.len());
    }
    Link::Made { qr: qr_svg(&link), link, of }
}

/// `text` as a QR code in SVG (low error correction, the smallest size that
/// holds it, a quiet zone of four modules), or `None` if it is too long for
/// one. Each row's dark runs are one path segment.
pub fn qr_svg(text: &str) -> Option<String> {
    use qrcodegen::{QrCode, QrCodeEcc};
    let qr = QrCode::encode_binary(text.as_bytes(), QrCodeEcc::Low).ok()?;
    let size = qr.size();
    let mut path = String::new();
    for y in 0..size {
        let mut x = 0;
        while x < size {
            if !qr.get_module(x, y) {
                x += 1;
                continue;
            }
            let start = x;
            while x < size && qr.get_module(x, y) {
                x += 1;
            }
            for (letter, n) in [("M", start + 4), (" ", y + 4), ("h", x - start)] {
                path.push_str(letter);
                path.push_str(&(n as usize).digits());
            }
            path.push_str("v1h-");
            path.push_str(&((x - start) as usize).digits());
            path.push('z');
        }
    }
    let whole = ((size + 8) as usize).digits();
    Some(
        [
            r#"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 "#,
            &whole,
            " ",
            &whole,
            r##"" shape-rendering="crispEdges"><rect width="100%" height="100%" fill="#fff"/><path fill="#000" d=""##,
            &path,
            r#""/></svg>"#,
        ]
        .concat(),
    )
}

/// The texts only links use, in each language.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Say {
    /// The section's heading.
    Heading,
    /// What a link is and who can read it.
    Help,
    /// The button that makes a link.
    Make,
    /// The link's label.
    Label,
    /// The button that copies it.
    Copy,
    /// It was copied.
    Copied,
    /// It could not be copied.
    CopyFailed,
    /// The mail link.
    Email,
    /// The mail's subject.
    Subject,
    /// The QR code's name.
    Qr,
    /// How to use the QR code.
    QrHelp,
    /// The link is too long for a QR code.
    QrTooLong,
    /// The draft changed since the link was made.
    Stale,
    /// The draft is too long for a link (`{n}`, `{max}`).
    TooLong,
    /// No link can be made here.
    Failed,
    /// What an opened link is called in the builder's notice.
    FromLink,
    /// What the draft this device had is called there.
    Earlier,
    /// The arrival's heading.
    Differs,
    /// What the arrival says.
    DiffersHelp,
    /// A value on this device (`{value}`).
    OnDevice,
    /// A value in the link (`{value}`).
    InLink,
    /// Keep the link's draft.
    KeepLink,
    /// Go back to the one this device had.
    KeepMine,
    /// The link's draft was kept.
    Kept,
}

/// `say` in `locale`.
pub fn say(locale: Locale, say: Say) -> &'static str {
    let [en, es, fr, de, ar] = texts(say);
    match locale {
        Locale::En => en,
        Locale::Es => es,
        Locale::Fr => fr,
        Locale::De => de,
        Locale::Ar => ar,
    }
}

fn texts(say: Say) -> [&'static str; 5] {
    match say {
        Say::Heading => ["Send it to your partner by link", "Envíalo a tu pareja de mentoría con un enlace", "L’envoyer à votre binôme par un lien", "Per Link an die andere Person schicken", "أرسلها إلى شريكك برابط"],
        Say::Help => [
            "The link carries the whole draft, encrypted, and the key to read it after its “#”: browsers never send that part to a server, so the draft goes from this device to your partner’s and nowhere else. Whoever has the link can read the draft, so send it to your partner only.",
            "El enlace lleva el borrador entero, cifrado, y la clave para leerlo tras su «#»: los navegadores nunca envían esa parte a un servidor, así que el borrador va de este dispositivo al de tu pareja y a ningún otro sitio. Quien tenga el enlace puede leer el borrador: envíalo solo a tu pareja.",
            "Le lien contient tout le brouillon, chiffré, et la clé pour le lire après son « # » : les navigateurs n’envoient jamais cette partie à un serveur, le brouillon va donc de cet appareil à celui de votre binôme et nulle part ailleurs. Qui a le lien peut lire le brouillon : ne l’envoyez qu’à votre binôme.",
            "Der Link enthält den ganzen Entwurf, verschlüsselt, und nach seinem „#“ den Schlüssel dazu: Browser senden diesen Teil nie an einen Server, der Entwurf geht also von diesem Gerät zu dem der anderen Person und nirgendwohin sonst. Wer den Link hat, kann den Entwurf lesen – schicken Sie ihn nur der anderen Person.",
            "يحمل الرابط المسودة كاملة مشفّرة، ومفتاح قراءتها بعد علامة «#»: لا ترسل المتصفحات هذا الجزء إلى أي خادم، فتنتقل المسودة من هذا الجهاز إلى جهاز شريكك ولا تذهب إلى أي مكان آخر. من يملك الرابط يستطيع قراءة المسودة، فلا ترسله إلا إلى شريكك.",
        ],
        Say::Make => ["Make a link", "Crear un enlace", "Créer un lien", "Link erstellen", "أنشئ رابطًا"],
        Say::Label => ["Link for your partner", "Enlace para tu pareja", "Lien pour votre binôme", "Link für die andere Person", "رابط لشريكك"],
        Say::Copy => ["Copy the link", "Copiar el enlace", "Copier le lien", "Link kopieren", "انسخ الرابط"],
        Say::Copied => ["The link is copied: paste it into a message to your partner.", "Enlace copiado: pégalo en un mensaje para tu pareja.", "Lien copié : collez-le dans un message à votre binôme.", "Link kopiert: Fügen Sie ihn in eine Nachricht an die andere Person ein.", "نُسخ الرابط: الصقه في رسالة إلى شريكك."],
        Say::CopyFailed => ["The link could not be copied here: select it in the box and copy it.", "Aquí no se pudo copiar el enlace: selecciónalo en la casilla y cópialo.", "Le lien n’a pas pu être copié ici : sélectionnez-le dans le champ et copiez-le.", "Der Link ließ sich hier nicht kopieren: Markieren Sie ihn im Feld und kopieren Sie ihn.", "تعذّر نسخ الرابط هنا: حدّده في الخانة وانسخه."],
        Say::Email => ["Send it by email", "Enviarlo por correo", "L’envoyer par e-mail", "Per E-Mail senden", "أرسله بالبريد الإلكتروني"],
        Say::Subject => ["Our mentoring agreement", "Nuestro acuerdo de mentoría", "Notre accord de mentorat", "Unsere Mentoring-Vereinbarung", "اتفاقية الإرشاد بيننا"],
        Say::Qr => ["QR code of the link", "Código QR del enlace", "Code QR du lien", "QR-Code des Links", "رمز QR للرابط"],
        Say::QrHelp => ["On a device across the table, scan this code with the camera to open the link.", "En un dispositivo al otro lado de la mesa, escanea este código con la cámara para abrir el enlace.", "Sur un appareil de l’autre côté de la table, scannez ce code avec l’appareil photo pour ouvrir le lien.", "Auf einem Gerät gegenüber diesen Code mit der Kamera scannen, um den Link zu öffnen.", "على جهاز في الجهة الأخرى من الطاولة، امسح هذا الرمز بالكاميرا لفتح الرابط."],
        Say::QrTooLong => ["This link is too long for a QR code: send the link itself.", "Este enlace es demasiado largo para un código QR: envía el propio enlace.", "Ce lien est trop long pour un code QR : envoyez le lien lui-même.", "Dieser Link ist für einen QR-Code zu lang: Schicken Sie den Link selbst.", "هذا الرابط أطول من أن يتسع له رمز QR: أرسل الرابط نفسه."],
        Say::Stale => ["The draft has changed since the last link was made: make a new one, so your partner gets this version.", "El borrador ha cambiado desde el último enlace: crea uno nuevo para que tu pareja reciba esta versión.", "Le brouillon a changé depuis le dernier lien : créez-en un nouveau pour que votre binôme reçoive cette version.", "Der Entwurf hat sich seit dem letzten Link geändert: Erstellen Sie einen neuen, damit die andere Person diese Fassung bekommt.", "تغيّرت المسودة منذ إنشاء آخر رابط: أنشئ رابطًا جديدًا ليصل إلى شريكك هذا الإصدار."],
        Say::TooLong => [
            "This draft is too long for a link ({n} characters; a link holds at most {max}). Send it as a draft file instead.",
            "Este borrador es demasiado largo para un enlace ({n} caracteres; un enlace admite como mucho {max}). Envíalo como archivo de borrador.",
            "Ce brouillon est trop long pour un lien ({n} caractères ; un lien en contient au plus {max}). Envoyez-le plutôt comme fichier de brouillon.",
            "Dieser Entwurf ist für einen Link zu lang ({n} Zeichen; ein Link fasst höchstens {max}). Schicken Sie ihn stattdessen als Entwurfsdatei.",
            "هذه المسودة أطول من أن يحملها رابط ({n} حرفًا، والرابط يتسع لـ{max} على الأكثر). أرسلها ملفَّ مسودة بدلًا من ذلك.",
        ],
        Say::Failed => [
            "A link cannot be made on this page: it needs a secure (https) page and a current browser. Send a draft file instead.",
            "En esta página no se puede crear un enlace: hace falta una página segura (https) y un navegador actual. Envía un archivo de borrador.",
            "Impossible de créer un lien sur cette page : il faut une page sécurisée (https) et un navigateur récent. Envoyez plutôt un fichier de brouillon.",
            "Auf dieser Seite lässt sich kein Link erstellen: Dazu braucht es eine sichere (https-)Seite und einen aktuellen Browser. Schicken Sie stattdessen eine Entwurfsdatei.",
            "لا يمكن إنشاء رابط في هذه الصفحة: يلزم ذلك صفحة آمنة (https) ومتصفح حديث. أرسل ملفَّ مسودة بدلًا من ذلك.",
        ],
        Say::FromLink => ["your partner’s link", "un enlace de tu pareja", "le lien de votre binôme", "dem Link der anderen Person", "رابط شريكك"],
        Say::Earlier => ["the draft this device had before the link", "este dispositivo, tal como estaba antes del enlace", "le brouillon qu’avait cet appareil avant le lien", "dem Entwurf, den dieses Gerät vor dem Link hatte", "المسودة التي كانت على هذا الجهاز قبل الرابط"],
        Say::Differs => ["The link’s draft differs from the one on this device", "El borrador del enlace no es igual al de este dispositivo", "Le brouillon du lien diffère de celui de cet appareil", "Der Entwurf im Link weicht von dem auf diesem Gerät ab", "مسودة الرابط تختلف عن التي على هذا الجهاز"],
        Say::DiffersHelp => [
            "The draft from the link is open now. The one this device had is kept until you choose. What differs:",
            "Ahora está abierto el borrador del enlace. El que tenía este dispositivo se guarda hasta que elijas. Lo que cambia:",
            "Le brouillon du lien est ouvert. Celui qu’avait cet appareil est conservé jusqu’à votre choix. Ce qui diffère :",
            "Jetzt ist der Entwurf aus dem Link geöffnet. Der dieses Geräts bleibt erhalten, bis Sie wählen. Was abweicht:",
            "المسودة المفتوحة الآن هي مسودة الرابط، وتُحفظ التي كانت على هذا الجهاز حتى تختار. ما يختلف:",
        ],
        Say::OnDevice => ["On this device: {value}", "En este dispositivo: {value}", "Sur cet appareil : {value}", "Auf diesem Gerät: {value}", "على هذا الجهاز: {value}"],
        Say::InLink => ["In the link: {value}", "En el enlace: {value}", "Dans le lien : {value}", "Im Link: {value}", "في الرابط: {value}"],
        Say::KeepLink => ["Keep the draft from the link", "Quedarme con el borrador del enlace", "Garder le brouillon du lien", "Entwurf aus dem Link behalten", "احتفظ بمسودة الرابط"],
        Say::KeepMine => ["Go back to this device’s draft", "Volver al borrador de este dispositivo", "Revenir au brouillon de cet appareil", "Zum Entwurf dieses Geräts zurück", "عد إلى مسودة هذا الجهاز"],
        Say::Kept => ["The draft from the link is kept.", "Te quedas con el borrador del enlace.", "Le brouillon du lien est conservé.", "Der Entwurf aus dem Link bleibt.", "احتُفظ بمسودة الرابط."],
    }
}

fn button(d: &Draw, act: Act, label: Say) -> H {
    H::new("button").attr("type", "button").attr("part", "button").attr(crate::widgets::device::ACT, act.name()).text(say(d.ctx.locale, label))
}

fn focus_if(el: H, focus: bool) -> H {
    if focus { el.attr("data-focus-now", "") } else { el }
}

/// What the review shows of a link's draft that differs from this
/// device's (`values` being the link's, open now), if there is one.
pub fn arrived(d: &Draw, share: &Share, values: &Values) -> Option<H> {
    let t = |s| say(d.ctx.locale, s);
    let out = |class| H::new("section").class(class).attr("data-for", FOR).attr("aria-labelledby", "mk-arrived");
    if share.kept {
        return Some(out("arrived").add(focus_if(H::new("p").attr("id", "mk-arrived").attr("role", "status").attr("tabindex", "-1").text(t(Say::Kept)), share.focus)));
    }
    let earlier = &share.arrived.as_ref()?.earlier;
    let none = d.t(Key::ChangeNone);
    let or_none = |v: &str| if v.trim().is_empty() { none.to_owned() } else { v.to_owned() };
    let line = |s, value: &str| H::new("span").class("line").attr("dir", "auto").text(&i18n::fill(t(s), &[("value", &or_none(value))]));
    let list = crate::render::doc::changes(&on_branches(earlier), &on_branches(values), d.programme, d.ctx.locale, d.ctx.date).iter().fold(H::new("ul"), |ul, c| {
        ul.add(H::new("li").add(H::new("strong").attr("dir", "auto").text(&c.what)).add(line(Say::OnDevice, &c.before)).add(line(Say::InLink, &c.after)))
    });
    let heading = focus_if(H::new("h4").attr("id", "mk-arrived").attr("tabindex", "-1").text(t(Say::Differs)), share.focus);
    Some(
        out("arrived confirm")
            .add(heading)
            .add(H::new("p").text(t(Say::DiffersHelp)))
            .add(list)
            .add(H::new("div").class("buttons").add(button(d, Act::KeepLink, Say::KeepLink)).add(button(d, Act::KeepMine, Say::KeepMine))),
    )
}

/// The section that sends the draft `values` by link.
pub fn section(d: &Draw, share: &Share, values: &Values) -> H {
    let t = |s| say(d.ctx.locale, s);
    let out = H::new("section")
        .class("share")
        .attr("data-for", FOR)
        .attr("aria-labelledby", "mk-link-h")
        .add(H::new("h4").attr("id", "mk-link-h").text(t(Say::Heading)))
        .add(H::new("p").class("help").text(t(Say::Help)));
    let make = || focus_if(button(d, Act::Make, Say::Make), share.focus);
    match &share.link {
        Link::None => out.add(H::new("div").class("buttons").add(make())),
        Link::Made { of, .. } if of != values => out.add(H::new("p").attr("role", "status").text(t(Say::Stale))).add(H::new("div").class("buttons").add(make())),
        Link::Failed => out.add(H::new("p").class("error").attr("role", "alert").attr("part", "error").text(t(Say::Failed))).add(file_button(d)),
        Link::TooLong(n) => {
            let text = i18n::fill(t(Say::TooLong), &[("n", &n.digits()), ("max", &MAX_LINK.digits())]);
            out.add(H::new("p").class("warning").attr("role", "alert").attr("part", "warning").text(&text)).add(file_button(d))
        }
        Link::Made { link, qr, .. } => {
            let field = focus_if(
                H::new("input").attr("type", "text").attr("id", "mk-link").attr("name", "share.link").attr("readonly", "").attr("dir", "ltr").attr("part", "input").attr("value", link),
                share.focus && share.copied != Some(true),
            );
            let mail = ["mailto:?subject=", &encode(t(Say::Subject)), "&body=", &encode(link)].concat();
            let copied = match share.copied {
                Some(true) => t(Say::Copied),
                Some(false) => t(Say::CopyFailed),
                None => "",
            };
            let out = out
                .add(H::new("label").attr("for", "mk-link").text(t(Say::Label)))
                .add(field)
                .add(
                    H::new("div")
                        .class("buttons")
                        .add(focus_if(button(d, Act::Copy, Say::Copy), share.focus && share.copied == Some(true)))
                        .add(H::new("a").attr("href", &mail).attr("part", "link").text(t(Say::Email))),
                )
                .add(H::new("p").attr("role", "status").text(copied));
            match qr {
                Some(svg) => out.add(
                    H::new("figure")
                        .class("qr")
                        .add(H::new("div").attr("role", "img").attr("aria-label", t(Say::Qr)).attr("data-qr", "").chart(svg))
                        .add(H::new("figcaption").text(t(Say::QrHelp))),
                ),
                None => out.add(H::new("p").text(t(Say::QrTooLong))),
            }
        }
    }
}

/// The builder's own button that saves the draft as a file.
fn file_button(d: &Draw) -> H {
    H::new("div").class("buttons").add(d.button(&Action::Export(Format::Json), Key::SaveDraftFile))
}

/// `text` made safe for a `mailto:` address's query (RFC 3986 unreserved
/// characters kept, every other byte percent-encoded).
fn encode(text: &str) -> String {
    const HEX: &[u8; 16] = b"0123456789ABCDEF";
    let mut out = String::new();
    for b in text.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~".contains(&b) {
            out.push(char::from(b));
        } else {
            out.extend(['%', char::from(HEX[usize::from(b >> 4)]), char::from(HEX[usize::from(b & 15)])]);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::config::Programme;
    use crate::widgets::fixed_ctx;

    fn agreement() -> Values {
        let mut v = Values::default();
        v.set("mentee.name", "Amara Okafor".into());
        v.set("mentor.name", "Jonas Berg".into());
        v.set("goal.1.what", "Plan a first conference talk".into());
        v
    }

    fn signed(mut v: Values, party: &str, name: &str) -> Values {
        signing::sign(&mut v, party, name, true, "2026-12-01T10:00:00Z").unwrap();
        v
    }

    #[test]
    fn acts_round_trip_and_are_named_apart_from_the_device_sections() {
        for act in Act::ALL {
            assert_eq!(Act::from_name(act.name()), Some(act));
        }
        for act in crate::widgets::device::Act::ALL {
            assert_eq!(Act::from_name(act.name()), None);
        }
        assert_eq!(Act::from_name("nonsense"), None);
    }

    #[test]
    fn a_link_carries_what_was_sealed_after_its_fragment_only() {
        let l = link("https://example.org/agree?x=1#old", "1.abc.def");
        assert_eq!(l, "https://example.org/agree?x=1#mentorkit-draft=1.abc.def");
        assert_eq!(sealed_in(&l[l.find('#').unwrap()..]), Some("1.abc.def"));
        assert_eq!(sealed_in("#mentorkit-draft="), None);
        assert_eq!(sealed_in("#section-2"), None);
    }

    #[test]
    fn with_nothing_here_or_the_same_content_the_link_opens_without_asking() {
        assert_eq!(arrive(None, agreement()), Arrival { open: agreement(), ask: false });
        // The partner signed the same content: their signature joins one's own.
        let mine = signed(agreement(), "mentee", "Amara Okafor");
        let theirs = signed(agreement(), "mentor", "Jonas Berg");
        let got = arrive(Some(&mine), theirs.clone());
        assert!(!got.ask);
        assert!(signing::fully_signed(&got.open), "both signatures: {:?}", got.open);
        assert_eq!(signing::fingerprint(&got.open), signing::fingerprint(&theirs));
        // A signature made on other content is not carried over.
        let mut changed = agreement();
        changed.set("goal.1.what", "Something else".into());
        let old = signed(changed, "mentee", "Amara Okafor");
        let mut stale = theirs.clone();
        for name in ["name", "at", "fingerprint"] {
            stale.set(&["sign.mentee.", name].concat(), old.get(&["sign.mentee.", name].concat()).to_owned());
        }
        let got = arrive(Some(&stale), theirs.clone());
        assert!(!got.ask);
        assert_eq!(got.open.get("sign.mentee.name"), "", "a signature on other content stays behind");
    }

    #[test]
    fn other_content_opens_and_asks_which_to_keep() {
        let mut mine = agreement();
        mine.set("goal.1.what", "Find a new role".into());
        let got = arrive(Some(&mine), agreement());
        assert_eq!(got, Arrival { open: agreement(), ask: true });
    }

    #[test]
    fn what_was_typed_on_a_branch_left_is_no_difference() {
        // Custom meetings typed, then a set rhythm chosen: signing drops them.
        let mut mine = agreement();
        mine.set("meet.cadence", "30-fortnightly".into());
        let theirs = mine.clone();
        mine.set("meet.every", "1".into());
        assert_eq!(arrive(Some(&mine), theirs.clone()).ask, false);
        mine.set("meet.cadence", "custom".into());
        assert_eq!(arrive(Some(&mine), theirs).ask, true);
    }

    #[test]
    fn the_arrival_shows_each_difference_and_both_answers() {
        let ctx = fixed_ctx("2026-12-01");
        let programme = Programme::default();
        let d = Draw::new(&programme, &ctx);
        let mut mine = agreement();
        mine.set("goal.1.what", "Find a new role".into());
        let share = Share { arrived: Some(Arrived { earlier: mine, aside: "k".into() }), focus: true, ..Share::default() };
        let html = arrived(&d, &share, &agreement()).unwrap().done().into_string();
        assert!(html.contains("On this device: Find a new role") && html.contains("In the link: Plan a first conference talk"), "{html}");
        assert!(html.contains(r#"data-device-act="keep-link""#) && html.contains(r#"data-device-act="keep-mine""#), "{html}");
        assert!(html.contains(r#"<h4 id="mk-arrived" tabindex="-1" data-focus-now"#), "focus on the question: {html}");
        assert!(arrived(&d, &Share::default(), &agreement()).is_none());
        let kept = arrived(&d, &Share { kept: true, ..Share::default() }, &agreement()).unwrap().done().into_string();
        assert!(kept.contains("The draft from the link is kept.") && kept.contains(r#"role="status""#), "{kept}");
    }

    #[test]
    fn the_section_offers_a_link_then_shows_it_with_its_code_and_says_when_it_is_stale() {
        let ctx = fixed_ctx("2026-12-01");
        let programme = Programme::default();
        let d = Draw::new(&programme, &ctx);
        let plain = section(&d, &Share::default(), &agreement()).done().into_string();
        assert!(plain.contains(r#"data-device-act="link""#) && plain.contains("Send it to your partner by link"), "{plain}");
        let url = link("https://example.org/a", "1.key.data");
        let share = Share { link: made(url.clone(), agreement()), focus: true, ..Share::default() };
        let html = section(&d, &share, &agreement()).done().into_string();
        assert!(html.contains(&[r#"value=""#, &url, "\""].concat()) && html.contains(r#"for="mk-link""#), "{html}");
        assert!(html.contains(r#"role="img" aria-label="QR code of the link""#) && html.contains("<svg"), "{html}");
        assert!(html.contains("mailto:?subject=Our%20mentoring%20agreement&amp;body=https%3A%2F%2Fexample.org%2Fa%23mentorkit-draft%3D1.key.data"), "{html}");
        assert!(html.contains(r#"readonly="" dir="ltr" part="input" value"#) && html.contains("data-focus-now"), "focus on the link: {html}");
        let mut changed = agreement();
        changed.set("goal.1.what", "Other".into());
        let stale = section(&d, &share, &changed).done().into_string();
        assert!(stale.contains("The draft has changed since the last link was made") && !stale.contains(&url), "{stale}");
        let copied = section(&d, &Share { copied: Some(false), ..share.clone() }, &agreement()).done().into_string();
        assert!(copied.contains("select it in the box and copy it"), "{copied}");
    }

    #[test]
    fn a_draft_too_long_for_a_link_says_so_and_offers_the_file() {
        let ctx = fixed_ctx("2026-12-01");
        let programme = Programme::default();
        let d = Draw::new(&programme, &ctx);
        let long = link("https://example.org/a", &"x".repeat(MAX_LINK));
        let got = made(long.clone(), agreement());
        assert_eq!(got, Link::TooLong(long.len()));
        let html = section(&d, &Share { link: got, ..Share::default() }, &agreement()).done().into_string();
        assert!(html.contains("too long for a link (8038 characters; a link holds at most 8000)"), "{html}");
        assert!(html.contains(&Action::Export(Format::Json).encode()), "the builder's own file button: {html}");
        let failed = section(&d, &Share { link: Link::Failed, ..Share::default() }, &agreement()).done().into_string();
        assert!(failed.contains("secure (https) page") && failed.contains(r#"role="alert""#), "{failed}");
    }

    #[test]
    fn the_qr_code_grows_with_the_link_and_stops_where_a_code_cannot_hold_it() {
        let small = qr_svg("https://a.example").unwrap();
        // 21 modules (version 1) and the quiet zone.
        assert!(small.contains(r#"viewBox="0 0 29 29""#), "{small}");
        roxmltree::Document::parse(&small).expect("well-formed SVG");
        let big = qr_svg(&"a".repeat(2000)).unwrap();
        let side: usize = big.split("viewBox=\"0 0 ").nth(1).unwrap().split(' ').next().unwrap().parse().unwrap();
        assert!(side > 100, "{side}");
        assert_eq!(qr_svg(&"a".repeat(3000)), None);
    }

    #[test]
    fn every_language_has_every_text() {
        let all = [Say::Heading, Say::Help, Say::Make, Say::Label, Say::Copy, Say::Copied, Say::CopyFailed, Say::Email, Say::Subject, Say::Qr, Say::QrHelp, Say::QrTooLong, Say::Stale, Say::TooLong, Say::Failed, Say::FromLink, Say::Earlier, Say::Differs, Say::DiffersHelp, Say::OnDevice, Say::InLink, Say::KeepLink, Say::KeepMine, Say::Kept];
        for s in all {
            let texts = texts(s);
            for (i, text) in texts.iter().enumerate() {
                assert!(!text.trim().is_empty(), "{s:?} {i}");
                let holes = |t: &str| t.matches('{').count();
                assert_eq!(holes(text), holes(texts[0]), "{s:?} {i}: {text}");
            }
            assert!(texts[1..].iter().all(|t| *t != texts[0]), "{s:?} translated");
        }
    }
}
