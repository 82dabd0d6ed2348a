"""Wording of the evidence dossier in the five letter languages.

Only words live here; what is shown where is decided in ``_render.py``.
Placeholders use ``str.format`` names and are filled with already escaped
values by the renderer.  Every language has every key (a test checks it).
"""

from __future__ import annotations

LANGS = ("en", "it", "de", "fr", "es")

_EN = {
    "title": "Evidence dossier",
    "subtitle": "Personal-data misuse: incidents, evidence and proof of integrity",
    "cover_intro": (
        "This document lists incidents recorded in a gdprkit evidence ledger, with their "
        "evidence. Every original file is embedded in this PDF as an attachment, byte for "
        "byte. Appendix A holds a Merkle inclusion proof for every ledger entry used here; "
        "Appendix B explains how to check them without gdprkit."
    ),
    "requester": "Requester",
    "scope": "Scope",
    "scope_all": "all incidents",
    "scope_contact": "contact {value}",
    "scope_incidents": "incidents {value}",
    "scope_since": "from {value}",
    "scope_until": "until {value}",
    "counts": "{incidents} incident(s), {evidence} evidence item(s), {attachments} attached file(s)",
    "contacts": "Contacts",
    "generated_at": "Generated at",
    "generated_note": "time of the newest ledger entry included",
    "ledger_id": "Ledger id",
    "origin": "Log origin",
    "checkpoint": "Signed checkpoint",
    "tree_size": "tree size",
    "root_hash": "root hash",
    "key_fingerprint": "Public key fingerprint",
    "verifier_key": "Verifier key",
    "timeline": "Timeline",
    "date": "Date (UTC)",
    "item": "Item",
    "what": "What",
    "contact": "Contact",
    "incident": "Incident",
    "facts": "Facts",
    "when": "When",
    "kind": "Kind",
    "platform": "Platform",
    "recorded_at": "Recorded in the ledger",
    "action_taken": "Action taken",
    "note": "Account of the facts",
    "none": "none",
    "letters_sent": "Letters sent",
    "no_letters": "No letter has been sent about this incident.",
    "letter": "Letter",
    "recipient": "Recipient",
    "sent": "Sent",
    "due": "Due",
    "status": "Status",
    "evidence": "Evidence",
    "no_evidence": "No evidence file was recorded for this incident.",
    "id": "Id",
    "name": "File name",
    "size": "Size",
    "acquired": "Acquired (at / by / method)",
    "source": "Source",
    "sha256": "SHA-256",
    "shredded": "Shredded",
    "shredded_reason": "content erased from the ledger (shredded); reason: {reason}",
    "shredded_incident": "This incident's content was erased from the ledger (shredded); reason: {reason}",
    "attached_as": "Attached as {name}.",
    "no_preview": "No preview for this file type; the original is attached.",
    "image_corrupt": "The file could not be decoded as an image; the original is attached unchanged.",
    "too_large": "The file is too large to show here; the original is attached.",
    "excerpt_note": "Excerpt: the first {shown} characters. The original ({size} bytes) is attached.",
    "email_headers": "E-mail headers",
    "request_event": "letter {id}: {event}",
    "letter_sent_to": "letter {id} ({kind}) sent to {recipient}",
    "appendix_proofs": "Appendix A: inclusion proofs",
    "proofs_intro": (
        "Each entry below is a leaf of the ledger's Merkle tree (RFC 9162). Its inclusion "
        "proof (audit path, leaf side first) leads from the leaf hash to the root hash of the "
        "signed checkpoint: tree size {size}, root hash {root}."
    ),
    "leaf_index": "leaf index",
    "leaf_hash": "leaf hash",
    "audit_path": "audit path",
    "appendix_verify": "Appendix B: how to check this dossier",
    "signed_note": "The checkpoint as a signed note (C2SP signed-note, Ed25519)",
    "verify_steps": [
        "What the proofs show. The ledger is an append-only log: every entry is a leaf of an "
        "RFC 9162 Merkle tree, and the checkpoint (tree size and root hash) is signed with the "
        "ledger's Ed25519 key. An inclusion proof shows that an entry is part of the tree with "
        "that root: the entry existed when the checkpoint was signed, and it cannot have been "
        "changed or removed since without breaking the proof.",
        "What they do not show. A leaf hash commits to the encrypted ledger entry (its "
        "ciphertext), not to the original file. Without the ledger and its passphrase, a third "
        "party can check the chain leaf, root, signed checkpoint, but not that a given original "
        "file belongs to a given leaf. The SHA-256 of each original file is recorded inside its "
        "encrypted entry and printed in the evidence tables; the ledger holder can demonstrate "
        "that link with 'gdprkit verify', which decrypts every entry and re-hashes every file.",
        "Attachments. Each original file is embedded byte for byte (a PDF/A-3 associated "
        "file named after its evidence id). Save it from your PDF reader's attachments panel, "
        "or with 'qpdf --list-attachments dossier.pdf' and 'qpdf --show-attachment=NAME "
        "dossier.pdf > NAME', then run 'sha256sum NAME': the result must equal the SHA-256 in "
        "the evidence table. The attachment gdprkit-dossier.json holds the same data, with "
        "every proof, in machine-readable form.",
        "Inclusion proofs (RFC 9162, section 2.1.3.2). Start from the leaf hash; combine it "
        "with each audit-path hash in turn as SHA-256(0x01 || left || right), the path hash "
        "being on the left when the current node is a right child or the last node of its "
        "level; the final value must equal the root hash of the checkpoint. This Python "
        "program, which uses the standard library only, checks every proof and every "
        "attachment hash listed in gdprkit-dossier.json:",
        "The checkpoint signature. The checkpoint is a C2SP signed note: the text before the "
        "blank line, then a line with an em dash, the key name and a base64 value holding a "
        "4-byte key id and a 64-byte Ed25519 signature of that text. Check it with the "
        "verifier key above (for example with Go's golang.org/x/mod/sumdb/note or Python's "
        "cryptography package), and compare the public key fingerprint with one obtained "
        "independently, for example from a letter sent earlier.",
        "All of the above is checked at once by 'gdprkit verify-dossier dossier.pdf', which "
        "also checks the PDF signature when there is one.",
    ],
    "page": "Page {page}",
    "footer": "gdprkit evidence dossier · ledger {ledger}",
    "kinds": {
        "mailing-list": "Added to a mailing list",
        "forwarded": "Private messages forwarded",
        "endorsement": "Named as a reference or endorsement",
        "direct-pitch": "Direct sales pitch",
        "unsolicited-message": "Unsolicited message",
        "introduction-request": "Introduction request",
        "discussion-list": "Added to a discussion group",
        "group-phishing": "Phishing in a group",
        "other": "Other",
    },
    "actions": {"blocked": "contact blocked", "reported": "reported to the platform",
                "removed": "removed from the connections", "none": "none"},
    "methods": {"file": "file", "import": "import", "screenshot": "screenshot"},
    "letters": {
        "objection": "objection (Art. 21)", "erasure": "erasure (Art. 17)",
        "access": "access (Art. 15)", "restriction": "restriction (Art. 18)",
        "withdraw-consent": "withdrawal of consent (Art. 7(3))", "reminder": "reminder",
        "complaint": "complaint (Art. 77)", "platform-report": "report to the platform",
    },
    "statuses": {"pending": "awaiting answer", "extended": "deadline extended",
                 "answered": "answered", "refused": "refused", "overdue": "overdue",
                 "paused": "paused: identity check", "partially-answered": "partly answered",
                 "reminded": "reminder sent", "complaint-filed": "complaint filed",
                 "closed": "closed"},
}

_IT = {
    "title": "Fascicolo probatorio",
    "subtitle": "Uso improprio di dati personali: episodi, prove e prova di integrità",
    "cover_intro": (
        "Questo documento elenca gli episodi registrati in un registro probatorio gdprkit, con "
        "le relative prove. Ogni file originale è incorporato in questo PDF come allegato, byte "
        "per byte. L'appendice A contiene una prova di inclusione Merkle per ogni voce del "
        "registro qui usata; l'appendice B spiega come verificarle senza gdprkit."
    ),
    "requester": "Richiedente",
    "scope": "Ambito",
    "scope_all": "tutti gli episodi",
    "scope_contact": "contatto {value}",
    "scope_incidents": "episodi {value}",
    "scope_since": "dal {value}",
    "scope_until": "al {value}",
    "counts": "{incidents} episodio/i, {evidence} prova/e, {attachments} file allegato/i",
    "contacts": "Contatti",
    "generated_at": "Generato il",
    "generated_note": "data della voce più recente del registro inclusa",
    "ledger_id": "Id del registro",
    "origin": "Origine del log",
    "checkpoint": "Checkpoint firmato",
    "tree_size": "dimensione dell'albero",
    "root_hash": "hash radice",
    "key_fingerprint": "Impronta della chiave pubblica",
    "verifier_key": "Chiave di verifica",
    "timeline": "Cronologia",
    "date": "Data (UTC)",
    "item": "Voce",
    "what": "Che cosa",
    "contact": "Contatto",
    "incident": "Episodio",
    "facts": "Fatti",
    "when": "Quando",
    "kind": "Tipo",
    "platform": "Piattaforma",
    "recorded_at": "Registrato nel registro",
    "action_taken": "Azione intrapresa",
    "note": "Descrizione dei fatti",
    "none": "nessuna",
    "letters_sent": "Lettere inviate",
    "no_letters": "Nessuna lettera è stata inviata per questo episodio.",
    "letter": "Lettera",
    "recipient": "Destinatario",
    "sent": "Inviata",
    "due": "Scadenza",
    "status": "Stato",
    "evidence": "Prove",
    "no_evidence": "Nessun file di prova è stato registrato per questo episodio.",
    "id": "Id",
    "name": "Nome del file",
    "size": "Dimensione",
    "acquired": "Acquisita (quando / da chi / metodo)",
    "source": "Fonte",
    "sha256": "SHA-256",
    "shredded": "Distrutta",
    "shredded_reason": "contenuto cancellato dal registro (distrutto); motivo: {reason}",
    "shredded_incident": "Il contenuto di questo episodio è stato cancellato dal registro (distrutto); motivo: {reason}",
    "attached_as": "Allegato come {name}.",
    "no_preview": "Nessuna anteprima per questo tipo di file; l'originale è allegato.",
    "image_corrupt": "Il file non può essere decodificato come immagine; l'originale è allegato senza modifiche.",
    "too_large": "Il file è troppo grande per essere mostrato qui; l'originale è allegato.",
    "excerpt_note": "Estratto: i primi {shown} caratteri. L'originale ({size} byte) è allegato.",
    "email_headers": "Intestazioni dell'e-mail",
    "request_event": "lettera {id}: {event}",
    "letter_sent_to": "lettera {id} ({kind}) inviata a {recipient}",
    "appendix_proofs": "Appendice A: prove di inclusione",
    "proofs_intro": (
        "Ogni voce qui sotto è una foglia dell'albero di Merkle del registro (RFC 9162). La sua "
        "prova di inclusione (percorso di verifica, dal lato della foglia) porta dall'hash della "
        "foglia all'hash radice del checkpoint firmato: dimensione {size}, hash radice {root}."
    ),
    "leaf_index": "indice della foglia",
    "leaf_hash": "hash della foglia",
    "audit_path": "percorso di verifica",
    "appendix_verify": "Appendice B: come verificare questo fascicolo",
    "signed_note": "Il checkpoint come nota firmata (C2SP signed-note, Ed25519)",
    "verify_steps": [
        "Che cosa dimostrano le prove. Il registro è un log in sola aggiunta: ogni voce è una "
        "foglia di un albero di Merkle RFC 9162 e il checkpoint (dimensione e hash radice) è "
        "firmato con la chiave Ed25519 del registro. Una prova di inclusione mostra che una voce "
        "fa parte dell'albero con quella radice: la voce esisteva quando il checkpoint è stato "
        "firmato e non può essere stata modificata o rimossa in seguito senza invalidare la prova.",
        "Che cosa non dimostrano. L'hash di una foglia si riferisce alla voce cifrata del "
        "registro (il testo cifrato), non al file originale. Senza il registro e la sua "
        "passphrase un terzo può verificare la catena foglia, radice, checkpoint firmato, ma non "
        "che un certo file originale corrisponda a una certa foglia. Lo SHA-256 di ogni file "
        "originale è registrato nella voce cifrata e stampato nelle tabelle delle prove; il "
        "titolare del registro può dimostrare questo legame con 'gdprkit verify', che decifra "
        "ogni voce e ricalcola l'hash di ogni file.",
        "Allegati. Ogni file originale è incorporato byte per byte (file associato PDF/A-3 "
        "denominato con l'id della prova). Salvarlo dal pannello allegati del lettore PDF, "
        "oppure con 'qpdf --list-attachments dossier.pdf' e 'qpdf --show-attachment=NOME "
        "dossier.pdf > NOME', poi eseguire 'sha256sum NOME': il risultato deve coincidere con "
        "lo SHA-256 della tabella delle prove. L'allegato gdprkit-dossier.json contiene gli "
        "stessi dati, con tutte le prove, in formato leggibile da programmi.",
        "Prove di inclusione (RFC 9162, sezione 2.1.3.2). Partire dall'hash della foglia e "
        "combinarlo con ciascun hash del percorso come SHA-256(0x01 || sinistra || destra), con "
        "l'hash del percorso a sinistra quando il nodo corrente è un figlio destro o l'ultimo "
        "nodo del suo livello; il valore finale deve coincidere con l'hash radice del "
        "checkpoint. Questo programma Python, che usa solo la libreria standard, verifica ogni "
        "prova e ogni hash degli allegati elencati in gdprkit-dossier.json:",
        "La firma del checkpoint. Il checkpoint è una nota firmata C2SP: il testo prima della "
        "riga vuota, poi una riga con una lineetta, il nome della chiave e un valore base64 che "
        "contiene un id di chiave di 4 byte e una firma Ed25519 di 64 byte di quel testo. "
        "Verificarla con la chiave di verifica indicata sopra (per esempio con "
        "golang.org/x/mod/sumdb/note in Go o con il pacchetto Python cryptography) e "
        "confrontare l'impronta della chiave pubblica con una ottenuta in modo indipendente, "
        "per esempio da una lettera inviata in precedenza.",
        "Tutti questi controlli sono eseguiti insieme da 'gdprkit verify-dossier dossier.pdf', "
        "che verifica anche la firma del PDF quando presente.",
    ],
    "page": "Pagina {page}",
    "footer": "fascicolo probatorio gdprkit · registro {ledger}",
    "kinds": {
        "mailing-list": "Iscrizione a una mailing list",
        "forwarded": "Messaggi privati inoltrati",
        "endorsement": "Indicato come referenza o sostenitore",
        "direct-pitch": "Proposta commerciale diretta",
        "unsolicited-message": "Messaggio non richiesto",
        "introduction-request": "Richiesta di presentazione",
        "discussion-list": "Aggiunto a un gruppo di discussione",
        "group-phishing": "Phishing in un gruppo",
        "other": "Altro",
    },
    "actions": {"blocked": "contatto bloccato", "reported": "segnalato alla piattaforma",
                "removed": "rimosso dai collegamenti", "none": "nessuna"},
    "methods": {"file": "file", "import": "importazione", "screenshot": "schermata"},
    "letters": {
        "objection": "opposizione (art. 21)", "erasure": "cancellazione (art. 17)",
        "access": "accesso (art. 15)", "restriction": "limitazione (art. 18)",
        "withdraw-consent": "revoca del consenso (art. 7(3))", "reminder": "sollecito",
        "complaint": "reclamo (art. 77)", "platform-report": "segnalazione alla piattaforma",
    },
    "statuses": {"pending": "in attesa di risposta", "extended": "termine prorogato",
                 "answered": "risposta ricevuta", "refused": "rifiutata", "overdue": "scaduta",
                 "paused": "sospesa: verifica dell'identità",
                 "partially-answered": "risposta parziale", "reminded": "sollecito inviato",
                 "complaint-filed": "reclamo presentato", "closed": "chiusa"},
}

_DE = {
    "title": "Beweisdossier",
    "subtitle": "Missbrauch personenbezogener Daten: Vorfälle, Beweise und Integritätsnachweis",
    "cover_intro": (
        "Dieses Dokument führt Vorfälle auf, die in einem gdprkit-Beweisregister erfasst "
        "wurden, mit ihren Beweisen. Jede Originaldatei ist Byte für Byte als Anhang in dieses "
        "PDF eingebettet. Anhang A enthält für jeden hier verwendeten Registereintrag einen "
        "Merkle-Inklusionsnachweis; Anhang B erklärt, wie man sie ohne gdprkit prüft."
    ),
    "requester": "Antragsteller",
    "scope": "Umfang",
    "scope_all": "alle Vorfälle",
    "scope_contact": "Kontakt {value}",
    "scope_incidents": "Vorfälle {value}",
    "scope_since": "ab {value}",
    "scope_until": "bis {value}",
    "counts": "{incidents} Vorfall/Vorfälle, {evidence} Beweisstück(e), {attachments} angehängte Datei(en)",
    "contacts": "Kontakte",
    "generated_at": "Erstellt am",
    "generated_note": "Zeitpunkt des neuesten einbezogenen Registereintrags",
    "ledger_id": "Register-Id",
    "origin": "Log-Ursprung",
    "checkpoint": "Signierter Checkpoint",
    "tree_size": "Baumgröße",
    "root_hash": "Wurzel-Hash",
    "key_fingerprint": "Fingerabdruck des öffentlichen Schlüssels",
    "verifier_key": "Prüfschlüssel",
    "timeline": "Zeitleiste",
    "date": "Datum (UTC)",
    "item": "Eintrag",
    "what": "Was",
    "contact": "Kontakt",
    "incident": "Vorfall",
    "facts": "Sachverhalt",
    "when": "Wann",
    "kind": "Art",
    "platform": "Plattform",
    "recorded_at": "Im Register erfasst",
    "action_taken": "Ergriffene Maßnahme",
    "note": "Schilderung des Sachverhalts",
    "none": "keine",
    "letters_sent": "Versandte Schreiben",
    "no_letters": "Zu diesem Vorfall wurde kein Schreiben versandt.",
    "letter": "Schreiben",
    "recipient": "Empfänger",
    "sent": "Versandt",
    "due": "Frist",
    "status": "Status",
    "evidence": "Beweise",
    "no_evidence": "Zu diesem Vorfall wurde keine Beweisdatei erfasst.",
    "id": "Id",
    "name": "Dateiname",
    "size": "Größe",
    "acquired": "Erhoben (wann / von wem / Methode)",
    "source": "Quelle",
    "sha256": "SHA-256",
    "shredded": "Vernichtet",
    "shredded_reason": "Inhalt aus dem Register gelöscht (vernichtet); Grund: {reason}",
    "shredded_incident": "Der Inhalt dieses Vorfalls wurde aus dem Register gelöscht (vernichtet); Grund: {reason}",
    "attached_as": "Angehängt als {name}.",
    "no_preview": "Keine Vorschau für diesen Dateityp; das Original ist angehängt.",
    "image_corrupt": "Die Datei lässt sich nicht als Bild dekodieren; das Original ist unverändert angehängt.",
    "too_large": "Die Datei ist zu groß für eine Anzeige hier; das Original ist angehängt.",
    "excerpt_note": "Auszug: die ersten {shown} Zeichen. Das Original ({size} Byte) ist angehängt.",
    "email_headers": "E-Mail-Kopfzeilen",
    "request_event": "Schreiben {id}: {event}",
    "letter_sent_to": "Schreiben {id} ({kind}) an {recipient} versandt",
    "appendix_proofs": "Anhang A: Inklusionsnachweise",
    "proofs_intro": (
        "Jeder folgende Eintrag ist ein Blatt des Merkle-Baums des Registers (RFC 9162). Sein "
        "Inklusionsnachweis (Prüfpfad, beginnend auf der Blattseite) führt vom Blatt-Hash zum "
        "Wurzel-Hash des signierten Checkpoints: Baumgröße {size}, Wurzel-Hash {root}."
    ),
    "leaf_index": "Blattindex",
    "leaf_hash": "Blatt-Hash",
    "audit_path": "Prüfpfad",
    "appendix_verify": "Anhang B: So prüfen Sie dieses Dossier",
    "signed_note": "Der Checkpoint als signierte Notiz (C2SP signed-note, Ed25519)",
    "verify_steps": [
        "Was die Nachweise zeigen. Das Register ist ein Log, an das nur angefügt wird: jeder "
        "Eintrag ist ein Blatt eines Merkle-Baums nach RFC 9162, und der Checkpoint (Baumgröße "
        "und Wurzel-Hash) ist mit dem Ed25519-Schlüssel des Registers signiert. Ein "
        "Inklusionsnachweis zeigt, dass ein Eintrag zum Baum mit dieser Wurzel gehört: der "
        "Eintrag bestand, als der Checkpoint signiert wurde, und kann seitdem nicht verändert "
        "oder entfernt worden sein, ohne dass der Nachweis scheitert.",
        "Was sie nicht zeigen. Ein Blatt-Hash bezieht sich auf den verschlüsselten "
        "Registereintrag (seinen Geheimtext), nicht auf die Originaldatei. Ohne das Register "
        "und seine Passphrase kann ein Dritter die Kette Blatt, Wurzel, signierter Checkpoint "
        "prüfen, nicht aber, dass eine bestimmte Originaldatei zu einem bestimmten Blatt "
        "gehört. Der SHA-256 jeder Originaldatei ist im verschlüsselten Eintrag gespeichert und "
        "in den Beweistabellen abgedruckt; der Inhaber des Registers kann diese Verbindung mit "
        "'gdprkit verify' belegen, das jeden Eintrag entschlüsselt und jede Datei neu hasht.",
        "Anhänge. Jede Originaldatei ist Byte für Byte eingebettet (eine PDF/A-3-"
        "Zuordnungsdatei, benannt nach ihrer Beweis-Id). Speichern Sie sie über die "
        "Anhangsleiste Ihres PDF-Betrachters oder mit 'qpdf --list-attachments dossier.pdf' und "
        "'qpdf --show-attachment=NAME dossier.pdf > NAME' und führen Sie 'sha256sum NAME' aus: "
        "das Ergebnis muss dem SHA-256 in der Beweistabelle entsprechen. Der Anhang "
        "gdprkit-dossier.json enthält dieselben Daten mit allen Nachweisen maschinenlesbar.",
        "Inklusionsnachweise (RFC 9162, Abschnitt 2.1.3.2). Beginnen Sie mit dem Blatt-Hash und "
        "verknüpfen Sie ihn nacheinander mit jedem Hash des Prüfpfads als SHA-256(0x01 || links "
        "|| rechts), wobei der Pfad-Hash links steht, wenn der aktuelle Knoten ein rechtes Kind "
        "oder der letzte Knoten seiner Ebene ist; der Endwert muss dem Wurzel-Hash des "
        "Checkpoints entsprechen. Dieses Python-Programm, das nur die Standardbibliothek "
        "verwendet, prüft jeden Nachweis und jeden Anhang-Hash aus gdprkit-dossier.json:",
        "Die Signatur des Checkpoints. Der Checkpoint ist eine signierte C2SP-Notiz: der Text "
        "vor der Leerzeile, dann eine Zeile mit Geviertstrich, Schlüsselname und einem "
        "Base64-Wert, der eine 4-Byte-Schlüssel-Id und eine 64-Byte-Ed25519-Signatur dieses "
        "Textes enthält. Prüfen Sie sie mit dem obigen Prüfschlüssel (etwa mit "
        "golang.org/x/mod/sumdb/note in Go oder dem Python-Paket cryptography) und vergleichen "
        "Sie den Fingerabdruck des öffentlichen Schlüssels mit einem unabhängig erhaltenen, "
        "etwa aus einem früher versandten Schreiben.",
        "All dies prüft 'gdprkit verify-dossier dossier.pdf' auf einmal, einschließlich der "
        "PDF-Signatur, falls vorhanden.",
    ],
    "page": "Seite {page}",
    "footer": "gdprkit-Beweisdossier · Register {ledger}",
    "kinds": {
        "mailing-list": "In eine Mailingliste eingetragen",
        "forwarded": "Private Nachrichten weitergeleitet",
        "endorsement": "Als Referenz oder Fürsprecher genannt",
        "direct-pitch": "Direkte Verkaufsansprache",
        "unsolicited-message": "Unerwünschte Nachricht",
        "introduction-request": "Bitte um Vorstellung",
        "discussion-list": "Zu einer Diskussionsgruppe hinzugefügt",
        "group-phishing": "Phishing in einer Gruppe",
        "other": "Sonstiges",
    },
    "actions": {"blocked": "Kontakt blockiert", "reported": "der Plattform gemeldet",
                "removed": "aus den Kontakten entfernt", "none": "keine"},
    "methods": {"file": "Datei", "import": "Import", "screenshot": "Bildschirmfoto"},
    "letters": {
        "objection": "Widerspruch (Art. 21)", "erasure": "Löschung (Art. 17)",
        "access": "Auskunft (Art. 15)", "restriction": "Einschränkung (Art. 18)",
        "withdraw-consent": "Widerruf der Einwilligung (Art. 7 Abs. 3)", "reminder": "Erinnerung",
        "complaint": "Beschwerde (Art. 77)", "platform-report": "Meldung an die Plattform",
    },
    "statuses": {"pending": "Antwort ausstehend", "extended": "Frist verlängert",
                 "answered": "beantwortet", "refused": "abgelehnt", "overdue": "überfällig",
                 "paused": "ruht: Identitätsprüfung", "partially-answered": "teilweise beantwortet",
                 "reminded": "Erinnerung gesendet", "complaint-filed": "Beschwerde eingereicht",
                 "closed": "abgeschlossen"},
}

_FR = {
    "title": "Dossier de preuves",
    "subtitle": "Usage abusif de données personnelles : incidents, preuves et preuve d'intégrité",
    "cover_intro": (
        "Ce document recense des incidents consignés dans un registre de preuves gdprkit, avec "
        "leurs preuves. Chaque fichier original est incorporé à ce PDF en pièce jointe, octet "
        "pour octet. L'annexe A contient une preuve d'inclusion Merkle pour chaque entrée du "
        "registre utilisée ici ; l'annexe B explique comment les vérifier sans gdprkit."
    ),
    "requester": "Demandeur",
    "scope": "Périmètre",
    "scope_all": "tous les incidents",
    "scope_contact": "contact {value}",
    "scope_incidents": "incidents {value}",
    "scope_since": "à partir du {value}",
    "scope_until": "jusqu'au {value}",
    "counts": "{incidents} incident(s), {evidence} preuve(s), {attachments} fichier(s) joint(s)",
    "contacts": "Contacts",
    "generated_at": "Généré le",
    "generated_note": "date de l'entrée la plus récente du registre incluse",
    "ledger_id": "Id du registre",
    "origin": "Origine du journal",
    "checkpoint": "Point de contrôle signé",
    "tree_size": "taille de l'arbre",
    "root_hash": "hash racine",
    "key_fingerprint": "Empreinte de la clé publique",
    "verifier_key": "Clé de vérification",
    "timeline": "Chronologie",
    "date": "Date (UTC)",
    "item": "Élément",
    "what": "Quoi",
    "contact": "Contact",
    "incident": "Incident",
    "facts": "Faits",
    "when": "Quand",
    "kind": "Type",
    "platform": "Plateforme",
    "recorded_at": "Consigné dans le registre",
    "action_taken": "Mesure prise",
    "note": "Exposé des faits",
    "none": "aucune",
    "letters_sent": "Courriers envoyés",
    "no_letters": "Aucun courrier n'a été envoyé au sujet de cet incident.",
    "letter": "Courrier",
    "recipient": "Destinataire",
    "sent": "Envoyé",
    "due": "Échéance",
    "status": "État",
    "evidence": "Preuves",
    "no_evidence": "Aucun fichier de preuve n'a été consigné pour cet incident.",
    "id": "Id",
    "name": "Nom du fichier",
    "size": "Taille",
    "acquired": "Recueillie (quand / par qui / méthode)",
    "source": "Source",
    "sha256": "SHA-256",
    "shredded": "Détruite",
    "shredded_reason": "contenu effacé du registre (détruit) ; motif : {reason}",
    "shredded_incident": "Le contenu de cet incident a été effacé du registre (détruit) ; motif : {reason}",
    "attached_as": "Jointe sous le nom {name}.",
    "no_preview": "Pas d'aperçu pour ce type de fichier ; l'original est joint.",
    "image_corrupt": "Le fichier ne peut pas être décodé comme image ; l'original est joint sans modification.",
    "too_large": "Le fichier est trop volumineux pour être affiché ici ; l'original est joint.",
    "excerpt_note": "Extrait : les {shown} premiers caractères. L'original ({size} octets) est joint.",
    "email_headers": "En-têtes du courriel",
    "request_event": "courrier {id} : {event}",
    "letter_sent_to": "courrier {id} ({kind}) envoyé à {recipient}",
    "appendix_proofs": "Annexe A : preuves d'inclusion",
    "proofs_intro": (
        "Chaque entrée ci-dessous est une feuille de l'arbre de Merkle du registre (RFC 9162). "
        "Sa preuve d'inclusion (chemin d'audit, côté feuille d'abord) mène du hash de la feuille "
        "au hash racine du point de contrôle signé : taille {size}, hash racine {root}."
    ),
    "leaf_index": "indice de feuille",
    "leaf_hash": "hash de feuille",
    "audit_path": "chemin d'audit",
    "appendix_verify": "Annexe B : comment vérifier ce dossier",
    "signed_note": "Le point de contrôle sous forme de note signée (C2SP signed-note, Ed25519)",
    "verify_steps": [
        "Ce que prouvent les preuves. Le registre est un journal en ajout seul : chaque entrée "
        "est une feuille d'un arbre de Merkle RFC 9162, et le point de contrôle (taille et hash "
        "racine) est signé avec la clé Ed25519 du registre. Une preuve d'inclusion montre "
        "qu'une entrée fait partie de l'arbre de cette racine : l'entrée existait lors de la "
        "signature et n'a pas pu être modifiée ou supprimée depuis sans invalider la preuve.",
        "Ce qu'elles ne prouvent pas. Un hash de feuille porte sur l'entrée chiffrée du registre "
        "(son texte chiffré), non sur le fichier original. Sans le registre et sa phrase de "
        "passe, un tiers peut vérifier la chaîne feuille, racine, point de contrôle signé, mais "
        "non qu'un fichier original donné corresponde à une feuille donnée. Le SHA-256 de chaque "
        "fichier original est enregistré dans l'entrée chiffrée et imprimé dans les tableaux de "
        "preuves ; le détenteur du registre peut établir ce lien avec 'gdprkit verify', qui "
        "déchiffre chaque entrée et recalcule le hash de chaque fichier.",
        "Pièces jointes. Chaque fichier original est incorporé octet pour octet (fichier "
        "associé PDF/A-3 nommé d'après l'id de la preuve). Enregistrez-le depuis le panneau des "
        "pièces jointes de votre lecteur PDF, ou avec 'qpdf --list-attachments dossier.pdf' et "
        "'qpdf --show-attachment=NOM dossier.pdf > NOM', puis lancez 'sha256sum NOM' : le "
        "résultat doit être égal au SHA-256 du tableau des preuves. La pièce jointe "
        "gdprkit-dossier.json contient les mêmes données, avec toutes les preuves, sous une "
        "forme lisible par machine.",
        "Preuves d'inclusion (RFC 9162, section 2.1.3.2). Partez du hash de la feuille et "
        "combinez-le successivement avec chaque hash du chemin sous la forme SHA-256(0x01 || "
        "gauche || droite), le hash du chemin étant à gauche lorsque le nœud courant est un "
        "enfant droit ou le dernier nœud de son niveau ; la valeur finale doit être égale au "
        "hash racine du point de contrôle. Ce programme Python, qui n'utilise que la "
        "bibliothèque standard, vérifie chaque preuve et chaque hash de pièce jointe listés "
        "dans gdprkit-dossier.json :",
        "La signature du point de contrôle. Le point de contrôle est une note signée C2SP : le "
        "texte avant la ligne vide, puis une ligne avec un tiret cadratin, le nom de la clé et "
        "une valeur base64 contenant un id de clé de 4 octets et une signature Ed25519 de 64 "
        "octets de ce texte. Vérifiez-la avec la clé de vérification ci-dessus (par exemple avec "
        "golang.org/x/mod/sumdb/note en Go ou le paquet Python cryptography) et comparez "
        "l'empreinte de la clé publique avec une empreinte obtenue indépendamment, par exemple "
        "dans un courrier envoyé auparavant.",
        "'gdprkit verify-dossier dossier.pdf' effectue toutes ces vérifications à la fois, y "
        "compris celle de la signature du PDF lorsqu'il y en a une.",
    ],
    "page": "Page {page}",
    "footer": "dossier de preuves gdprkit · registre {ledger}",
    "kinds": {
        "mailing-list": "Inscription à une liste de diffusion",
        "forwarded": "Messages privés transférés",
        "endorsement": "Cité comme référence ou soutien",
        "direct-pitch": "Démarchage commercial direct",
        "unsolicited-message": "Message non sollicité",
        "introduction-request": "Demande de mise en relation",
        "discussion-list": "Ajout à un groupe de discussion",
        "group-phishing": "Hameçonnage dans un groupe",
        "other": "Autre",
    },
    "actions": {"blocked": "contact bloqué", "reported": "signalé à la plateforme",
                "removed": "retiré des relations", "none": "aucune"},
    "methods": {"file": "fichier", "import": "import", "screenshot": "capture d'écran"},
    "letters": {
        "objection": "opposition (art. 21)", "erasure": "effacement (art. 17)",
        "access": "accès (art. 15)", "restriction": "limitation (art. 18)",
        "withdraw-consent": "retrait du consentement (art. 7(3))", "reminder": "relance",
        "complaint": "réclamation (art. 77)", "platform-report": "signalement à la plateforme",
    },
    "statuses": {"pending": "réponse attendue", "extended": "délai prolongé",
                 "answered": "répondu", "refused": "refusé", "overdue": "en retard",
                 "paused": "suspendu : vérification d'identité",
                 "partially-answered": "réponse partielle", "reminded": "relance envoyée",
                 "complaint-filed": "réclamation introduite", "closed": "clos"},
}

_ES = {
    "title": "Expediente de pruebas",
    "subtitle": "Uso indebido de datos personales: incidentes, pruebas y prueba de integridad",
    "cover_intro": (
        "Este documento enumera incidentes registrados en un registro de pruebas gdprkit, con "
        "sus pruebas. Cada archivo original está incrustado en este PDF como adjunto, byte a "
        "byte. El apéndice A contiene una prueba de inclusión Merkle de cada entrada del "
        "registro usada aquí; el apéndice B explica cómo comprobarlas sin gdprkit."
    ),
    "requester": "Solicitante",
    "scope": "Alcance",
    "scope_all": "todos los incidentes",
    "scope_contact": "contacto {value}",
    "scope_incidents": "incidentes {value}",
    "scope_since": "desde el {value}",
    "scope_until": "hasta el {value}",
    "counts": "{incidents} incidente(s), {evidence} prueba(s), {attachments} archivo(s) adjunto(s)",
    "contacts": "Contactos",
    "generated_at": "Generado el",
    "generated_note": "fecha de la entrada más reciente del registro incluida",
    "ledger_id": "Id del registro",
    "origin": "Origen del registro",
    "checkpoint": "Punto de control firmado",
    "tree_size": "tamaño del árbol",
    "root_hash": "hash raíz",
    "key_fingerprint": "Huella de la clave pública",
    "verifier_key": "Clave de verificación",
    "timeline": "Cronología",
    "date": "Fecha (UTC)",
    "item": "Elemento",
    "what": "Qué",
    "contact": "Contacto",
    "incident": "Incidente",
    "facts": "Hechos",
    "when": "Cuándo",
    "kind": "Tipo",
    "platform": "Plataforma",
    "recorded_at": "Registrado en el registro",
    "action_taken": "Medida adoptada",
    "note": "Relato de los hechos",
    "none": "ninguna",
    "letters_sent": "Cartas enviadas",
    "no_letters": "No se ha enviado ninguna carta sobre este incidente.",
    "letter": "Carta",
    "recipient": "Destinatario",
    "sent": "Enviada",
    "due": "Plazo",
    "status": "Estado",
    "evidence": "Pruebas",
    "no_evidence": "No se registró ningún archivo de prueba para este incidente.",
    "id": "Id",
    "name": "Nombre del archivo",
    "size": "Tamaño",
    "acquired": "Obtenida (cuándo / por quién / método)",
    "source": "Fuente",
    "sha256": "SHA-256",
    "shredded": "Destruida",
    "shredded_reason": "contenido borrado del registro (destruido); motivo: {reason}",
    "shredded_incident": "El contenido de este incidente se borró del registro (destruido); motivo: {reason}",
    "attached_as": "Adjuntado como {name}.",
    "no_preview": "No hay vista previa para este tipo de archivo; el original está adjunto.",
    "image_corrupt": "El archivo no se puede decodificar como imagen; el original está adjunto sin cambios.",
    "too_large": "El archivo es demasiado grande para mostrarlo aquí; el original está adjunto.",
    "excerpt_note": "Extracto: los primeros {shown} caracteres. El original ({size} bytes) está adjunto.",
    "email_headers": "Cabeceras del correo",
    "request_event": "carta {id}: {event}",
    "letter_sent_to": "carta {id} ({kind}) enviada a {recipient}",
    "appendix_proofs": "Apéndice A: pruebas de inclusión",
    "proofs_intro": (
        "Cada entrada siguiente es una hoja del árbol de Merkle del registro (RFC 9162). Su "
        "prueba de inclusión (ruta de auditoría, empezando por el lado de la hoja) lleva del "
        "hash de la hoja al hash raíz del punto de control firmado: tamaño {size}, hash raíz "
        "{root}."
    ),
    "leaf_index": "índice de hoja",
    "leaf_hash": "hash de hoja",
    "audit_path": "ruta de auditoría",
    "appendix_verify": "Apéndice B: cómo comprobar este expediente",
    "signed_note": "El punto de control como nota firmada (C2SP signed-note, Ed25519)",
    "verify_steps": [
        "Qué demuestran las pruebas. El registro es un log de solo adición: cada entrada es una "
        "hoja de un árbol de Merkle RFC 9162, y el punto de control (tamaño y hash raíz) está "
        "firmado con la clave Ed25519 del registro. Una prueba de inclusión muestra que una "
        "entrada forma parte del árbol con esa raíz: la entrada existía cuando se firmó el "
        "punto de control y no puede haberse modificado ni eliminado después sin invalidar la "
        "prueba.",
        "Qué no demuestran. Un hash de hoja se refiere a la entrada cifrada del registro (su "
        "texto cifrado), no al archivo original. Sin el registro y su frase de contraseña, un "
        "tercero puede comprobar la cadena hoja, raíz, punto de control firmado, pero no que un "
        "archivo original concreto corresponda a una hoja concreta. El SHA-256 de cada archivo "
        "original se guarda dentro de su entrada cifrada y se imprime en las tablas de pruebas; "
        "el titular del registro puede demostrar ese vínculo con 'gdprkit verify', que descifra "
        "cada entrada y vuelve a calcular el hash de cada archivo.",
        "Adjuntos. Cada archivo original está incrustado byte a byte (archivo asociado PDF/A-3 "
        "con el nombre de su id de prueba). Guárdelo desde el panel de adjuntos de su lector de "
        "PDF, o con 'qpdf --list-attachments dossier.pdf' y 'qpdf --show-attachment=NOMBRE "
        "dossier.pdf > NOMBRE', y ejecute 'sha256sum NOMBRE': el resultado debe coincidir con "
        "el SHA-256 de la tabla de pruebas. El adjunto gdprkit-dossier.json contiene los mismos "
        "datos, con todas las pruebas, en formato legible por máquina.",
        "Pruebas de inclusión (RFC 9162, sección 2.1.3.2). Parta del hash de la hoja y "
        "combínelo sucesivamente con cada hash de la ruta como SHA-256(0x01 || izquierda || "
        "derecha), con el hash de la ruta a la izquierda cuando el nodo actual es un hijo "
        "derecho o el último nodo de su nivel; el valor final debe coincidir con el hash raíz "
        "del punto de control. Este programa Python, que solo usa la biblioteca estándar, "
        "comprueba cada prueba y cada hash de adjunto listados en gdprkit-dossier.json:",
        "La firma del punto de control. El punto de control es una nota firmada C2SP: el texto "
        "antes de la línea en blanco y luego una línea con una raya, el nombre de la clave y un "
        "valor base64 con un id de clave de 4 bytes y una firma Ed25519 de 64 bytes de ese "
        "texto. Compruébela con la clave de verificación indicada arriba (por ejemplo con "
        "golang.org/x/mod/sumdb/note en Go o el paquete Python cryptography) y compare la "
        "huella de la clave pública con otra obtenida de forma independiente, por ejemplo de "
        "una carta enviada antes.",
        "'gdprkit verify-dossier dossier.pdf' comprueba todo lo anterior a la vez, incluida la "
        "firma del PDF cuando la hay.",
    ],
    "page": "Página {page}",
    "footer": "expediente de pruebas gdprkit · registro {ledger}",
    "kinds": {
        "mailing-list": "Inscripción en una lista de correo",
        "forwarded": "Mensajes privados reenviados",
        "endorsement": "Citado como referencia o aval",
        "direct-pitch": "Oferta comercial directa",
        "unsolicited-message": "Mensaje no solicitado",
        "introduction-request": "Solicitud de presentación",
        "discussion-list": "Añadido a un grupo de debate",
        "group-phishing": "Phishing en un grupo",
        "other": "Otro",
    },
    "actions": {"blocked": "contacto bloqueado", "reported": "denunciado a la plataforma",
                "removed": "eliminado de los contactos", "none": "ninguna"},
    "methods": {"file": "archivo", "import": "importación", "screenshot": "captura de pantalla"},
    "letters": {
        "objection": "oposición (art. 21)", "erasure": "supresión (art. 17)",
        "access": "acceso (art. 15)", "restriction": "limitación (art. 18)",
        "withdraw-consent": "retirada del consentimiento (art. 7.3)", "reminder": "recordatorio",
        "complaint": "reclamación (art. 77)", "platform-report": "denuncia a la plataforma",
    },
    "statuses": {"pending": "pendiente de respuesta", "extended": "plazo prorrogado",
                 "answered": "respondida", "refused": "rechazada", "overdue": "vencida",
                 "paused": "en pausa: verificación de identidad",
                 "partially-answered": "respondida en parte", "reminded": "recordatorio enviado",
                 "complaint-filed": "reclamación presentada", "closed": "cerrada"},
}

TABLE: dict[str, dict] = {"en": _EN, "it": _IT, "de": _DE, "fr": _FR, "es": _ES}


def labels(lang: str) -> dict:
    """The wording for ``lang`` (one of :data:`LANGS`)."""
    from ..errors import BadInput

    try:
        return TABLE[lang]
    except KeyError:
        raise BadInput(f"no dossier wording for language {lang!r}",
                       hint="valid: " + ", ".join(LANGS)) from None
