"""The classifier, signal by signal and language by language, plus the corpus figures."""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

import pytest

from gdprkit.importers import (
    ClassifyOptions,
    ParsedMessage,
    classify,
    parse_message,
    subject_prefixes,
)

CORPUS = Path(__file__).parent / "corpus"
JANE = ClassifyOptions.build(["jane.doe@example.org"], ["Jane Doe"])


def msg(headers: str, body: str = "Hello.\n", **kw) -> ParsedMessage:
    head = "From: Bob <bob@example.com>\nTo: someone@example.net\n" + headers
    return parse_message((head.rstrip("\n") + "\n\n" + body).encode("utf-8"), "test", **kw)


def kind(pm, opts=None):
    return classify(pm, opts).kind


# -- mailing-list signals ---------------------------------------------------------------
@pytest.mark.parametrize("headers, phrase", [
    ("List-Id: Club news <news.club.example>\n", "List-Id"),
    ("List-Unsubscribe: <https://x.example/u>\n", "RFC 2369"),
    ("List-Unsubscribe: <https://x.example/u>\nList-Unsubscribe-Post: List-Unsubscribe=One-Click\n", "RFC 8058"),
    ("X-MC-User: abc\nX-Campaign: mailchimpabc\n", "Mailchimp"),
    ("X-Mailin-Campaign: 12\nX-Mailin-Client: 3\n", "Brevo"),
    ("X-Mailjet-Campaign: 7\nX-MJ-Mid: AAA\n", "Mailjet"),
    ("X-Mailman-Version: 2.1\nPrecedence: list\n", "Mailman"),
    ("Mailing-List: list a@googlegroups.com\nX-Google-Group-Id: 1\n", "Google Groups"),
])
def test_list_headers(headers, phrase):
    c = classify(msg(headers))
    assert c.kind == "mailing-list"
    assert any(phrase in r for r in c.reasons)


def test_transactional_services_alone_are_not_a_list():
    for headers in ("X-SG-EID: abc\n", "Feedback-ID: 1.eu-west-1.x:AmazonSES\nX-SES-Outgoing: 1\n",
                    "X-PM-Message-Id: 1\n", "Precedence: junk\n"):
        c = classify(msg(headers, "Your receipt for order 12.\n"))
        assert c.kind is None, headers
        assert c.reasons and c.reasons[0].startswith("not enough:")


def test_service_header_plus_footer_is_a_list():
    body = "News of the month.\n\nTo stop receiving these emails: https://x.example/u\n"
    c = classify(msg("X-SG-EID: abc\n", body))
    assert c.kind == "mailing-list"
    assert any("SendGrid" in r for r in c.reasons)


@pytest.mark.parametrize("lang, footer", [
    ("en", "You are receiving this email because you signed up.\nUnsubscribe: https://x.example/u"),
    ("it", "Ricevi questa email perché sei iscritto.\nAnnulla l'iscrizione: https://x.example/u"),
    ("de", "Sie erhalten diesen Newsletter, weil Sie Kunde sind.\nAbmelden: https://x.example/u"),
    ("fr", "Vous recevez cet e-mail car vous êtes client.\nSe désinscrire : https://x.example/u"),
    ("es", "Recibes este correo porque eres cliente.\nDarse de baja: https://x.example/u"),
])
def test_unsubscribe_footers_per_language(lang, footer):
    c = classify(msg("X-Mailer: Newsletter engine\n", "Body text.\n\n" + footer + "\n"))
    assert c.kind == "mailing-list", c.reasons
    assert any(f"({lang})" in r for r in c.reasons)


@pytest.mark.parametrize("lang, footer", [
    ("de", "Um sich abzumelden, klicken Sie hier: https://x.example/u"),
    ("de", "Um den Newsletter abzubestellen, besuchen Sie https://x.example/u"),
    ("de", "Wenn Sie sich austragen möchten, genügt ein Klick: https://x.example/u"),
    ("de", "Um sich auszutragen, genügt ein Klick auf https://x.example/u"),
    ("de", "Newsletter abbestellen: https://x.example/u"),
    ("de", "Melden Sie sich hier ab: https://x.example/u"),
    ("en", "Unsubscribing takes one click: https://x.example/u"),
    ("en", "Prefer not to receive these? https://x.example/u"),
    ("it", "Per disiscriverti da questa newsletter: https://x.example/u"),
    ("it", "Se vuoi disiscriverti o cancellarti dalla lista: https://x.example/u"),
    ("fr", "Désabonnez-vous : https://x.example/u"),
    ("fr", "Pour ne plus recevoir nos offres, désinscrivez-vous : https://x.example/u"),
    ("es", "Si ya no quieres recibir estos correos, puedes desuscribirte aquí: https://x.example/u"),
    ("es", "Para darme de baja o cancelar tu suscripción: https://x.example/u"),
])
def test_inflected_unsubscribe_footers(lang, footer):
    body = "Die Neuigkeiten des Monats.\n\n" + footer + "\n"
    alone = classify(msg("Subject: news\n", body))
    assert alone.kind is None and alone.confidence == 0.45, alone.reasons  # a footer alone: not enough
    assert any(r.startswith(f"not enough: unsubscribe footer ({lang})") for r in alone.reasons)
    c = classify(msg("Subject: news\nX-SG-EID: u001.abc\n", body))
    assert c.kind == "mailing-list", c.reasons


HTML = "MIME-Version: 1.0\nContent-Type: text/html; charset=utf-8\n"


def test_footer_whose_link_is_on_a_word_of_it():
    body = ('<p>Neu im Keller: Riesling.</p><p>Um sich von unserem Newsletter abzumelden, klicken Sie '
            '<a href="https://x.example/asm">hier</a>.</p>')
    c = classify(msg(HTML + "X-SG-EID: u001.abc\n", body))
    assert c.kind == "mailing-list", c.reasons
    assert any(r.startswith("unsubscribe footer (de): “Um sich von unserem Newsletter abzumelden") for r in c.reasons)
    # the same sentence with no link at all is no footer
    assert classify(msg("Subject: x\nX-SG-EID: u001.abc\n", "Um sich abzumelden, klicken Sie hier.\n")).kind is None


FOOTER = "News of the month.\n\nUnsubscribe: https://x.example/u\n"


@pytest.mark.parametrize("headers, service", [
    ("Feedback-ID: 1.eu-west-1.abc=:AmazonSES\n", "Amazon SES"),
    ("X-SES-Outgoing: 2025.01.01-1.2.3.4\n", "Amazon SES"),
    ("X-SG-EID: u001.abc\n", "SendGrid"),
    ("X-SG-ID: u001.abc\n", "SendGrid"),
    ("X-Mailin-Tag: spring\n", "Brevo"),
    ("X-Mailin-EID: abc\n", "Brevo"),
    ("X-MJ-TemplateID: 661\n", "Mailjet"),
    ("X-MJ-Mid: AAA\n", "Mailjet"),
    ("X-Campaign-Name: spring-sale\n", "a campaign tool"),
    ("X-CampaignType: newsletter\n", "a campaign tool"),
])
def test_footer_plus_one_bulk_service_header_is_a_list(headers, service):
    alone = classify(msg(headers, "Your order has shipped.\n"))
    assert alone.kind is None and alone.confidence == 0.3, alone.reasons
    assert service in alone.reasons[0]
    c = classify(msg(headers, FOOTER))
    assert c.kind == "mailing-list" and c.confidence >= 0.6, c.reasons
    assert any(service in r for r in c.reasons)


def test_footer_plus_precedence_bulk_and_mailchimp_user_header():
    assert kind(msg("Precedence: bulk\n", FOOTER)) == "mailing-list"
    assert kind(msg("X-MC-User: 5a1b2c\n", "Hello.\n")) == "mailing-list"  # a Mailchimp campaign alone


def test_one_footer_seen_three_ways_is_one_signal():
    # text footer + HTML unsubscribe link + "view in browser": still one footer, still not enough
    body = ("--a\nContent-Type: text/plain; charset=utf-8\n\nOffers.\nView in browser: https://x.example/v\n"
            "Unsubscribe: https://x.example/u\n--a\nContent-Type: text/html; charset=utf-8\n\n"
            '<p>Offers.</p><a href="https://x.example/v">View in browser</a> '
            '<a href="https://x.example/u">Unsubscribe</a>\n--a--\n')
    c = classify(msg("MIME-Version: 1.0\nContent-Type: multipart/alternative; boundary=a\n", body))
    assert c.kind is None and c.confidence == 0.45, c.reasons
    assert len(c.reasons) == 3  # every signal is still listed
    c = classify(msg("MIME-Version: 1.0\nContent-Type: multipart/alternative; boundary=a\nX-SG-EID: 1\n", body))
    assert c.kind == "mailing-list" and c.confidence == 0.615


QUOTED_FOOTER_REPLIES = [
    # plain text, ">" quoting, from an info@ address (a weak header signal of its own)
    ("From: Lena <info@lena.example>\nSubject: Re: news\nIn-Reply-To: <a@b>\n",
     "I'm in!\n\nOn Mon, Tom wrote:\n> Look:\n> > Offers of the week.\n> > View this email in your browser: "
     "https://x.example/v\n> > Unsubscribe: https://x.example/u\n"),
    # Outlook: the quoted message after a Da:/Inviato:/A:/Oggetto: block
    ("From: Studio <info@studio.example>\nSubject: R: offerte\n",
     "Grazie, passo sabato.\n\nDa: Marco <marco@example.it>\nInviato: mercoledì 12 marzo 2025 18:40\n"
     "A: Studio <info@studio.example>\nOggetto: I: offerte\n\nSe non vuoi più ricevere le nostre email, "
     "clicca qui: https://x.example/u\n"),
    # Gmail HTML: the newsletter's links inside gmail_quote
    (HTML + "Subject: Re: news\n",
     '<div dir="ltr">Yes, let\'s go.</div><div class="gmail_quote"><div class="gmail_attr">On Fri, Jane wrote:'
     '</div><blockquote class="gmail_quote"><p>Offers.</p><a href="https://x.example/u">Unsubscribe from this '
     'list</a> <a href="https://x.example/p">Update your preferences</a></blockquote></div>'),
    # Apple Mail HTML: blockquote type="cite"
    (HTML + "Subject: Re: Riesling\n",
     'Oh ja!<blockquote type="cite"><div>Am 04.02.2025 schrieb Anna:</div><div>Der Riesling ist da.<br>'
     '<a href="https://x.example/abmelden">Newsletter abbestellen</a></div></blockquote>'),
]


@pytest.mark.parametrize("headers, body", QUOTED_FOOTER_REPLIES)
def test_personal_reply_quoting_a_footer_is_not_a_list(headers, body):
    if "From:" not in headers:
        headers = "From: Bob <bob@example.com>\n" + headers
    pm = parse_message(("To: someone@example.net\n" + headers + "\n" + body).encode(), "reply")
    c = classify(pm)
    assert c.kind is None, c.reasons
    assert not any("unsubscribe" in r for r in c.reasons), c.reasons


def test_personal_mail_pasting_a_footer_is_not_a_list():
    body = ('Petra, unten im Infobrief steht: "Um sich abzumelden, klicken Sie hier: '
            'https://x.example/infobrief" – hat bei mir geklappt.\n')
    c = classify(msg("Subject: Bibliothek\n", body))
    assert c.kind is None and c.confidence == 0.45  # found, and not enough on its own


def test_html_unsubscribe_anchor():
    html = '<p>Offers</p><p><a href="https://x.example/bye">Se désabonner</a></p>'
    pm = msg("Content-Type: text/html; charset=utf-8\nPrecedence: bulk\n", html)
    c = classify(pm)
    assert c.kind == "mailing-list"
    assert any("unsubscribe link in the HTML (fr)" in r for r in c.reasons)


def test_personal_mail_mentioning_unsubscribe_is_not_a_list():
    body = "Did you unsubscribe from the gym mails? I tried https://gym.example/prefs twice.\n"
    assert kind(msg("Subject: gym\n", body)) is None


# -- forwarded signals ------------------------------------------------------------------
@pytest.mark.parametrize("subject, expected", [
    ("Fwd: x", "forward"), ("FW: x", "forward"), ("I: x", "forward"), ("Inoltro: x", "forward"),
    ("WG: x", "forward"), ("TR : x", "forward"), ("RV: x", "forward"), ("VS: x", "forward"),
    ("Doorst: x", "forward"), ("PD: x", "forward"), ("Re: x", "reply"), ("AW: x", "reply"),
    ("R: x", "reply"), ("SV: x", "reply"), ("[list] Re: x", "reply"),
])
def test_subject_prefixes(subject, expected):
    assert subject_prefixes(subject)[0][0] == expected


def test_no_prefix_in_ordinary_subject():
    assert subject_prefixes("Invoice: March") == []
    assert subject_prefixes("Meeting at 10:30") == []


@pytest.mark.parametrize("marker, author_line", [
    ("---------- Forwarded message ---------", "From: Jane Doe <jane.doe@example.org>"),
    ("---------- Messaggio inoltrato ---------", "Da: Jane Doe <jane.doe@example.org>"),
    ("---------- Weitergeleitete Nachricht ---------", "Von: Jane Doe <jane.doe@example.org>"),
    ("---------- Message transféré ---------", "De : Jane Doe <jane.doe@example.org>"),
    ("---------- Mensaje reenviado ---------", "De: Jane Doe <jane.doe@example.org>"),
    ("Begin forwarded message:", "From: Jane Doe <jane.doe@example.org>"),
    ("Inizio messaggio inoltrato:", "Da: Jane Doe <jane.doe@example.org>"),
    ("Anfang der weitergeleiteten Nachricht:", "Von: Jane Doe <jane.doe@example.org>"),
    ("Début du message réexpédié :", "De: Jane Doe <jane.doe@example.org>"),
    ("Inicio del mensaje reenviado:", "De: Jane Doe <jane.doe@example.org>"),
    ("-------- Forwarded Message --------", "From: \tJane Doe <jane.doe@example.org>"),
    ("-------- Messaggio Inoltrato --------", "Mittente: \tJane Doe <jane.doe@example.org>"),
])
def test_inline_forward_markers_without_prefix(marker, author_line):
    body = f"see below\n\n{marker}\n{author_line}\nSubject: hi\n\nprivate words\n"
    c = classify(msg("Subject: look\n", body))
    assert c.kind == "forwarded", (marker, c.reasons)
    c = classify(msg("Subject: look\n", body), JANE)
    assert c.confidence >= 0.95
    assert c.reasons[0].startswith("a message written by you (jane.doe@example.org) was forwarded to")


@pytest.mark.parametrize("lang_block", [
    "From: Jane Doe\nSent: Monday\nTo: Bob\nSubject: hi",
    "Da: Jane Doe\nInviato: lunedì\nA: Bob\nOggetto: ciao",
    "Von: Jane Doe\nGesendet: Montag\nAn: Bob\nBetreff: hallo",
    "De : Jane Doe\nEnvoyé : lundi\nÀ : Bob\nObjet : salut",
    "De: Jane Doe\nEnviado el: lunes\nPara: Bob\nAsunto: hola",
])
def test_outlook_header_block_forward_vs_reply(lang_block):
    body = f"fyi\n\n{lang_block}\n\ntext\n"
    assert kind(msg("Subject: FW: hi\n", body)) == "forwarded"
    assert kind(msg("Subject: RE: hi\n", body)) is None  # a reply quoting the original
    assert kind(msg("Subject: AW: hi\n", body)) is None


def test_original_message_separator_in_reply_is_not_forward():
    body = "ok\n\n-----Original Message-----\nFrom: Jane\nSent: Mon\nTo: Bob\nSubject: x\n\nhi\n"
    assert kind(msg("Subject: RE: x\nIn-Reply-To: <a@b>\n", body)) is None
    assert kind(msg("Subject: FW: x\n", body)) == "forwarded"


def test_quoted_reply_with_gt_is_not_forward():
    body = "yes\n\nOn Mon, Jane wrote:\n> ---------- Forwarded message ---------\n> From: X <x@y>\n"
    assert kind(msg("Subject: Re: x\n", body)) is None


def test_rfc822_attachment_and_resent_headers():
    inner = "From: Jane Doe <jane.doe@example.org>\nSubject: secret\n\nhi\n"
    body = ("--b\nContent-Type: text/plain\n\nsee attached\n--b\nContent-Type: message/rfc822\n\n"
            + inner + "--b--\n")
    pm = msg("Subject: stuff\nMIME-Version: 1.0\nContent-Type: multipart/mixed; boundary=b\n", body)
    c = classify(pm, JANE)
    assert c.kind == "forwarded" and any("message/rfc822" in r for r in c.reasons)
    assert any("written by you" in r for r in c.reasons)
    c = classify(msg("Resent-From: bob@example.com\nResent-To: eve@example.net\nSubject: x\n"))
    assert c.kind == "forwarded" and "Resent" in c.reasons[0]


ADA = ClassifyOptions.build(["ada@example.org"], ["Ada Rossi"])
RESENT_MINE = ("Resent-From: Marco Venditti <marco@venditti.example>\nResent-To: boss@third.example\n"
               "Resent-Date: Wed, 20 Nov 2024 22:10:00 +0000\n"
               "From: Ada Rossi <ada@example.org>\nTo: Marco Venditti <marco@venditti.example>\n"
               "Subject: my situation\nDate: Wed, 20 Nov 2024 20:00:00 +0000\n\nMarco, this is private.\n")


def test_requester_message_resent_to_a_third_party_is_forwarded_by_the_resender():
    c = classify(parse_message(RESENT_MINE.encode(), "resent_mine.eml"), ADA)
    assert c.kind == "forwarded", c.reasons
    assert c.confidence >= 0.95
    assert c.reasons[0].startswith("Resent-From/Resent-To headers: a message written by you (ada@example.org)")
    assert "re-sent by Marco Venditti <marco@venditti.example> to boss@third.example" in c.reasons[0]
    assert (c.who.name, c.who.email) == ("Marco Venditti", "marco@venditti.example")


def test_resent_message_of_someone_else_is_pinned_on_the_resender():
    raw = RESENT_MINE.replace("From: Ada Rossi <ada@example.org>", "From: Sophie Lang <sophie@example.co.uk>")
    c = classify(parse_message(raw.encode(), "r.eml"), ADA)
    assert c.kind == "forwarded" and "Resent-From/Resent-To headers" in c.reasons[0]
    assert c.who.email == "marco@venditti.example"  # not sophie, the author of the original


def test_resent_by_the_requester_or_back_to_the_requester_is_not_an_incident():
    raw = RESENT_MINE.replace("Resent-From: Marco Venditti <marco@venditti.example>",
                              "Resent-From: Ada Rossi <ada@example.org>")
    c = classify(parse_message(raw.encode(), "r.eml"), ADA)
    assert c.kind is None and "re-sent by you" in c.reasons[0]
    raw = RESENT_MINE.replace("Resent-To: boss@third.example", "Resent-To: ada@example.org")
    c = classify(parse_message(raw.encode(), "r.eml"), ADA)
    assert c.kind is None and "to you only" in c.reasons[0]


def test_bounce_with_rfc822_part_is_not_a_forward():
    body = ("--b\nContent-Type: text/plain\n\nundeliverable\n--b\nContent-Type: message/delivery-status\n\n"
            "Action: failed\n\n--b\nContent-Type: message/rfc822\n\nFrom: a@b\nSubject: x\n\nhi\n--b--\n")
    pm = msg("Subject: Delivery failure\nContent-Type: multipart/report; boundary=b\n", body)
    assert kind(pm) is None


def test_message_sent_by_requester_is_never_an_incident():
    pm = msg("Subject: Fwd: x\n", "---------- Forwarded message ---------\nFrom: a <a@b>\n")
    pm.sender_email = "jane.doe@example.org"
    c = classify(pm, JANE)
    assert c.kind is None and "written by you" in c.reasons[0]


# -- endorsement ------------------------------------------------------------------------------
@pytest.mark.parametrize("sentence", [
    "Jane Doe recommended that I reach out to you about our insurance plans.",
    "I was referred by Jane Doe, who is one of our happy clients.",
    "Ti scrivo su consiglio di Jane Doe, che è nostra cliente.",
    "Auf Empfehlung von Jane Doe melde ich mich bei Ihnen.",
    "Je vous écris de la part de Jane Doe qui nous connaît bien.",
    "Te escribo por recomendación de Jane Doe.",
])
def test_endorsement_per_language(sentence):
    pm = msg("To: prospect@other.example\nSubject: hello\n", f"Hi,\n\n{sentence}\n\nBest, Bob\n")
    c = classify(pm, JANE)
    assert c.kind == "endorsement", c.reasons
    assert any(r.startswith("written to third parties") and "prospect@other.example" in r
               for r in c.reasons)
    assert c.who.email == "bob@example.com"


def test_endorsement_inside_forward_blames_the_inner_author():
    body = ("FYI, is this legit?\n\n---------- Forwarded message ---------\n"
            "From: Carl Seller <carl@pitch.example>\nDate: Mon\nSubject: offer\nTo: Ann <ann@x.example>\n\n"
            "Hi Ann, Jane Doe recommended that I contact you about our savings plan.\n")
    pm = parse_message(("From: Ann <ann@x.example>\nTo: jane.doe@example.org\nSubject: Fwd: offer\n\n"
                        + body).encode(), "t")
    c = classify(pm, JANE)
    assert c.kind in ("endorsement", "forwarded")
    endorse = [s for s in c.signals if s.kind == "endorsement"]
    assert endorse and any("Carl Seller" in s.reason for s in endorse)


def test_name_without_reference_wording_is_not_endorsement():
    pm = msg("Subject: party\n", "Jane Doe will bring the cake on Saturday.\n")
    assert kind(pm, JANE) is None


# -- LinkedIn pitch (channel "linkedin") ------------------------------------------------------
def li(text, *, connected=None, sent=dt.datetime(2024, 3, 10, tzinfo=dt.UTC), is_connection=True, **kw):
    return ParsedMessage(source="li", channel="linkedin", text=text, date=sent,
                         connected_on=connected, is_connection=is_connection,
                         sender_name="Sam", sender_profile_url="https://www.linkedin.com/in/sam", **kw)


@pytest.mark.parametrize("text, lang", [
    ("Would you be interested in a free trial of our platform?", "en"),
    ("Ti potrebbe interessare una consulenza gratuita?", "it"),
    ("Hätten Sie Interesse an einem kurzen Telefonat über unsere Dienstleistungen?", "de"),
    ("Seriez-vous intéressé par un essai gratuit de notre solution ?", "fr"),
    ("¿Te interesaría una llamada rápida sobre nuestros servicios?", "es"),
])
def test_pitch_soon_after_connecting(text, lang):
    c = classify(li(text, connected=dt.date(2024, 3, 8)))
    assert c.kind == "direct-pitch", c.reasons
    assert any(f"({lang})" in r for r in c.reasons)
    assert any("2 day(s) after you connected" in r for r in c.reasons)


def test_window_is_configurable_and_matters():
    text = "Happy to offer you a discount, just ask."
    assert kind(li(text, connected=dt.date(2024, 1, 1))) is None  # 69 days later, weak wording
    opts = ClassifyOptions(pitch_window_days=90)
    assert kind(li(text, connected=dt.date(2024, 1, 1)), opts) == "direct-pitch"


def test_mlm_wording_and_non_connection():
    c = classify(li("Join my team and build passive income from home!", is_connection=False))
    assert c.kind == "unsolicited-message"
    assert any("MLM wording" in r for r in c.reasons)


def test_plain_linkedin_chat_is_not_pitch():
    assert kind(li("Great to connect! How was the conference?", connected=dt.date(2024, 3, 9))) is None


# -- corpus -----------------------------------------------------------------------------------
def test_corpus_precision_and_recall():
    sys.path.insert(0, str(Path(__file__).parent.parent / "bench"))
    from classify_eval import evaluate

    report = evaluate(CORPUS)
    assert report["messages"] >= 90
    for cls in ("mailing-list", "forwarded"):
        figures = report["classes"][cls]
        assert figures["support"] >= 20
        assert figures["precision"] >= 0.95, (cls, report["errors"])
        assert figures["recall"] >= 0.9, (cls, report["errors"])
