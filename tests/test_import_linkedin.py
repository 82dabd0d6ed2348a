"""LinkedIn export reading: preamble, charsets, owner detection, pitch classification."""

from __future__ import annotations

import os
import zipfile

import pytest

from gdprkit.errors import BadInput
from gdprkit.importers import LinkedInStats, classify, iter_linkedin, normalise_profile_url

CONNECTIONS = """Notes:
"When exporting your connection data, you may notice that some of the email addresses are missing. You will only see email addresses for connections who have allowed their connections to see or download their email address using this setting https://www.linkedin.com/psettings/privacy/email. You can learn more here https://www.linkedin.com/help/linkedin/answer/261"

First Name,Last Name,URL,Email Address,Company,Position,Connected On
Sam,Seller,https://www.linkedin.com/in/sam-seller,sam@growfast.example,GrowFast,Founder,08 Mar 2024
NiccolÃ²,Bianchi,https://www.linkedin.com/in/niccolo-bianchi,,Studio B,Architect,01 Jan 2023
Lena,Old,https://www.linkedin.com/in/lena-old,,,,"15 Jan 2020"
"""

ME = "https://www.linkedin.com/in/jane-doe"

MESSAGES = f"""CONVERSATION ID,CONVERSATION TITLE,FROM,SENDER PROFILE URL,TO,RECIPIENT PROFILE URLS,DATE,SUBJECT,CONTENT,FOLDER
2-abc,,Sam Seller,https://www.linkedin.com/in/sam-seller,Jane Doe,{ME},2024-03-10 09:00:00 UTC,,"Hi Jane, great to connect! Would you be interested in a quick call about our services? We help companies with lead generation.",INBOX
2-abc,,Jane Doe,{ME},Sam Seller,https://www.linkedin.com/in/sam-seller,2024-03-10 10:00:00 UTC,,No thanks.,INBOX
2-def,,NiccolÃ² Bianchi,https://www.linkedin.com/in/niccolo-bianchi,Jane Doe,{ME},2024-03-11 12:00:00 UTC,,"Ciao Jane, com'Ã¨ andata la conferenza? Un abbraccio",INBOX
2-ghi,,Max Stranger,https://www.linkedin.com/in/max-stranger,Jane Doe,{ME},2024-03-12 08:00:00 UTC,Opportunity,"<p>Be your own boss! Join my team and earn <b>passive income</b>.</p>",INBOX
2-jkl,,Lena Old,https://www.linkedin.com/in/lena-old,Jane Doe,{ME},2024-03-13 08:00:00 UTC,,"Our agency offers a 15-minute call, free consultation for your business.",INBOX
"""

INVITATIONS = f"""From,To,Sent At,Message,Direction,inviterProfileUrl,inviteeProfileUrl
Jane Doe,Sam Seller,"3/7/24, 9:15 AM",,OUTGOING,{ME},https://www.linkedin.com/in/sam-seller
Rita Promo,Jane Doe,"3/14/24, 10:02 AM","Hi! Financial freedom is possible, join my team.",INCOMING,https://www.linkedin.com/in/rita-promo,{ME}
Tim Friend,Jane Doe,"3/15/24, 10:02 AM","We met at the meetup, let's connect",INCOMING,https://www.linkedin.com/in/tim-friend,{ME}
"""


def make_export(folder, *, latin1=False):
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "Connections.csv").write_text(CONNECTIONS, encoding="utf-8")
    data = MESSAGES.encode("utf-8")
    if latin1:  # a real "NiccolÃ²" written as cp1252 bytes by a broken export tool
        data = MESSAGES.encode("utf-8").decode("utf-8").encode("cp1252", errors="replace")
    (folder / "messages.csv").write_bytes(data)
    (folder / "Invitations.csv").write_text(INVITATIONS, encoding="utf-8")
    return folder


def by_sender(items):
    return {i.sender_name: i for i in items}


def test_reads_folder_skips_own_messages_and_repairs_names(tmp_path):
    stats = LinkedInStats()
    items = list(iter_linkedin(make_export(tmp_path / "exp"), stats=stats))
    senders = by_sender(items)
    assert stats.owner == ME and stats.own_messages == 1
    assert set(senders) == {"Sam Seller", "Niccolò Bianchi", "Max Stranger", "Lena Old", "Rita Promo", "Tim Friend"}
    assert "com'è andata" in senders["Niccolò Bianchi"].text
    sam = senders["Sam Seller"]
    assert sam.sender_email == "sam@growfast.example"
    assert sam.connected_on.isoformat() == "2024-03-08"
    assert sam.message_id == "linkedin:2-abc:2024-03-10 09:00:00 UTC"
    assert sam.started_conversation is True
    assert sam.raw.startswith(b"CONVERSATION ID,") and b"lead generation" in sam.raw
    assert "passive income" in senders["Max Stranger"].text and "<b>" not in senders["Max Stranger"].text


def test_zip_and_cp1252_file(tmp_path):
    folder = make_export(tmp_path / "exp", latin1=True)
    archive = tmp_path / "Basic_LinkedInDataExport_03-20-2024.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        for f in folder.iterdir():
            zf.write(f, f"Basic_LinkedInDataExport/{f.name}")
    senders = by_sender(iter_linkedin(archive))
    assert "Niccolò Bianchi" in senders


def test_classification_of_the_export(tmp_path):
    kinds = {i.sender_name: classify(i) for i in iter_linkedin(make_export(tmp_path / "exp"))}
    sam = kinds["Sam Seller"]
    assert sam.kind == "direct-pitch"
    assert any("2 day(s) after you connected on 2024-03-08" in r for r in sam.reasons)
    assert any("commercial wording (en)" in r for r in sam.reasons)
    assert kinds["Max Stranger"].kind == "unsolicited-message"  # not a connection, MLM wording
    assert kinds["Rita Promo"].kind == "unsolicited-message"
    assert any("invitation" in r for r in kinds["Rita Promo"].reasons)
    assert kinds["Niccolò Bianchi"].kind is None
    assert kinds["Tim Friend"].kind is None
    # Lena connected years ago: commercial wording alone, several phrases.
    assert kinds["Lena Old"].kind == "direct-pitch"
    assert not any("after you connected" in r for r in kinds["Lena Old"].reasons)


def test_not_an_export(tmp_path):
    (tmp_path / "x").mkdir()
    with pytest.raises(BadInput):
        list(iter_linkedin(tmp_path / "x"))
    bad = tmp_path / "bad.zip"
    bad.write_bytes(b"not a zip")
    with pytest.raises(BadInput):
        list(iter_linkedin(bad))


def test_profile_url_normalisation():
    assert normalise_profile_url("http://it.linkedin.com/in/jane/?trk=x") == "https://www.linkedin.com/in/jane"
    assert normalise_profile_url("www.linkedin.com/in/jane/") == "https://www.linkedin.com/in/jane"
    assert normalise_profile_url("  ") is None


@pytest.mark.parametrize("variant", [
    "http://linkedin.com/in/marco-v/?trk=x", "https://www.linkedin.com/in/marco-v",
    "HTTPS://WWW.LinkedIn.COM/in/Marco-V/#about", "https://m.linkedin.com/in/marco-v//",
    "linkedin.com/in/marco-v?originalSubdomain=it", "https://de.linkedin.com:443/in/marco-v/",
])
def test_profile_url_variants_have_one_normal_form(variant):
    assert normalise_profile_url(variant) == "https://www.linkedin.com/in/marco-v"


def test_profile_url_other_hosts():
    assert normalise_profile_url("http://WWW.Xing.com/profile/Marco_V/?utm_source=x#top") == \
        "https://xing.com/profile/marco_v"
    # a query that names the profile stays: these are two people
    a = normalise_profile_url("https://www.facebook.com/profile.php?id=1001&fbclid=zz")
    assert a == "https://facebook.com/profile.php?id=1001"
    assert a != normalise_profile_url("https://facebook.com/profile.php?id=1002")


# -- who owns the export ---------------------------------------------------------------
def _messages_csv(rows):
    head = "CONVERSATION ID,CONVERSATION TITLE,FROM,SENDER PROFILE URL,TO,RECIPIENT PROFILE URLS,DATE,SUBJECT,CONTENT,FOLDER\n"
    return head + "".join(
        f'{conv},,{frm},https://www.linkedin.com/in/{slug},{to},https://www.linkedin.com/in/{to_slug},'
        f'2024-03-1{n} 09:00:00 UTC,,"{text}",INBOX\n'
        for n, (conv, frm, slug, to, to_slug, text) in enumerate(rows))


PITCH = "Would you be interested in a quick call about our services? We help companies grow."
JUERGEN = ("2-xyz", "Jürgen Größe", "juergen-groesse", "Ada Rossi", "ada-rossi", PITCH)


def test_owner_is_never_chosen_on_a_tie(tmp_path):
    folder = tmp_path / "lat"
    folder.mkdir()
    (folder / "messages.csv").write_text(_messages_csv([JUERGEN]), encoding="utf-8")
    stats = LinkedInStats()
    items = list(iter_linkedin(folder, owner_names=["Ada Rossi"], stats=stats))
    assert [i.sender_name for i in items] == ["Jürgen Größe"]  # not dropped as "your own"
    assert stats.owner is None and stats.owner_unknown and stats.own_messages == 0
    assert stats.owner_names == ("Ada Rossi",)


def test_owner_by_participation_needs_a_strict_majority_of_conversations(tmp_path):
    folder = tmp_path / "lat"
    folder.mkdir()
    rows = [JUERGEN, ("2-b", "Ada Rossi", "ada-rossi", "Jürgen Größe", "juergen-groesse", "No thanks."),
            ("2-c", "Lia Neri", "lia-neri", "Ada R.", "ada-rossi", PITCH)]
    (folder / "messages.csv").write_text(_messages_csv(rows), encoding="utf-8")
    stats = LinkedInStats()
    items = list(iter_linkedin(folder, stats=stats))  # no name given: ada is in 3 conversations
    assert stats.owner == "https://www.linkedin.com/in/ada-rossi" and stats.owner_by == "participation"
    assert sorted(i.sender_name for i in items) == ["Jürgen Größe", "Lia Neri"]
    assert stats.own_messages == 1


def test_owner_by_name_incoming_invitation_or_profile_csv(tmp_path):
    folder = tmp_path / "lat"
    folder.mkdir()
    rows = [JUERGEN, ("2-xyz", "ADA  ROSSÌ", "ada-rossi", "Jürgen Größe", "juergen-groesse", "No thanks.")]
    (folder / "messages.csv").write_text(_messages_csv(rows), encoding="utf-8")
    stats = LinkedInStats()
    assert len(list(iter_linkedin(folder, owner_names=["Ada Rossi"], stats=stats))) == 1
    assert stats.owner_by == "name" and stats.own_messages == 1  # case, accents and spaces folded
    (folder / "Profile.csv").write_text("First Name,Last Name,Headline\nAda,Rossi,Engineer\n", encoding="utf-8")
    stats = LinkedInStats()
    assert len(list(iter_linkedin(folder, stats=stats))) == 1
    assert stats.owner_by == "name" and stats.owner_names == ("Ada Rossi",)
    (folder / "Profile.csv").unlink()
    (folder / "messages.csv").write_text(_messages_csv([JUERGEN]), encoding="utf-8")
    (folder / "Invitations.csv").write_text(
        "From,To,Sent At,Message,Direction,inviterProfileUrl,inviteeProfileUrl\n"
        'Jürgen Größe,Ada Rossi,"3/7/24, 9:15 AM",,INCOMING,https://www.linkedin.com/in/juergen-groesse,'
        "https://www.linkedin.com/in/ada-rossi\n", encoding="utf-8")
    stats = LinkedInStats()
    assert len(list(iter_linkedin(folder, stats=stats))) == 1
    assert stats.owner == "https://www.linkedin.com/in/ada-rossi" and stats.owner_by == "invitation"


def test_owner_detection_does_not_depend_on_hash_randomisation(tmp_path):
    import subprocess
    import sys

    folder = tmp_path / "lat"
    folder.mkdir()
    (folder / "messages.csv").write_text(_messages_csv([JUERGEN]), encoding="utf-8")
    outputs = set()
    for seed in range(1, 7):
        env = {**os.environ, "PYTHONHASHSEED": str(seed)}
        env.pop("GDPRKIT_LEDGER", None)
        proc = subprocess.run([sys.executable, "-m", "gdprkit", "import", "linkedin", str(folder),
                               "--dry-run", "--requester-name", "Ada Rossi"],
                              capture_output=True, text=True, env=env, timeout=120)
        assert proc.returncode == 0, proc.stderr
        outputs.add((proc.stdout, proc.stderr))
    assert len(outputs) == 1
    ((stdout, stderr),) = outputs
    assert stdout.startswith("new          direct-pitch")
    assert stderr.splitlines()[-1] == "import: 1 new (dry run: nothing stored)"
    [warning] = [line for line in stderr.splitlines() if line.startswith("Warning:")]
    assert "cannot tell whose LinkedIn export this is" in warning and "“Ada Rossi”" in warning
