"""`postfix-maps --check DIR`: the deployed main.cf and tables against ldifctl.yaml, field
by field; exit 3 on any difference, naming file, field, deployed and declared value."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from mail_kit import example_repo
from repo_kit import DirectoryRepo, run

SECRET = "deployed-Pa55word"


def deployed(repo: DirectoryRepo, tmp_path: Path) -> Path:
    """What postfix-maps writes, deployed as a mail server holds it: main.cf with the lines
    it printed among others, and the real password in the files."""
    folder = tmp_path / "etc-postfix"
    code, lines, err = run(repo, "postfix-maps", "--output-dir", str(folder))
    assert code == 0, err
    for path in folder.glob("*.cf"):
        path.write_text(path.read_text().replace("bind_pw = CHANGE-ME", f"bind_pw = {SECRET}"))
    (folder / "main.cf").write_text(f"# the mail server's own\nmyhostname = mx.test\n{lines}")
    return folder


def check(repo: DirectoryRepo, folder: Path) -> tuple[int, str, str]:
    return run(repo, "postfix-maps", "--check", str(folder))


def test_identical_tables_pass_and_the_password_is_never_compared(tmp_path: Path) -> None:
    repo = example_repo(tmp_path)
    folder = deployed(repo, tmp_path)
    assert check(repo, folder) == (0, "", f"{folder} deploys what ldifctl.yaml declares\n")


def test_a_changed_field_is_named_with_both_values(tmp_path: Path) -> None:
    repo = example_repo(tmp_path)
    folder = deployed(repo, tmp_path)
    table = folder / "virtual_alias_maps-2.cf"
    table.write_text(table.read_text().replace("(mailAlternateAddress=%s)", "(mail=%s)")
                     + "dereference = 3\n")
    main = folder / "main.cf"
    main.write_text(main.read_text() + "recipient_delimiter = +\n")
    code, out, err = check(repo, folder)
    lines = table.read_text().splitlines()
    line = lines.index("query_filter = (mail=%s)") + 1
    assert (code, err) == (3, f"3 difference(s) between {folder} and ldifctl.yaml\n")
    assert out.splitlines() == [
        f"{main}:6: recipient_delimiter: deployed '+', declared ''",
        f"{table}:{line}: query_filter: deployed '(mail=%s)', declared "
        "'(mailAlternateAddress=%s)'",
        f"{table}:{len(lines)}: dereference: deployed '3', declared '(none)'",
    ]
    assert SECRET not in out + err


def test_a_missing_and_an_extra_table_are_named(tmp_path: Path) -> None:
    repo = example_repo(tmp_path)
    folder = deployed(repo, tmp_path)
    main = folder / "main.cf"
    main.write_text(
        "# the mail server's own\nmyhostname = mx.test\n"
        f"virtual_mailbox_domains = hash:/etc/postfix/d, ldap:{folder}/virtual_mailbox_domains.cf\n"
        f"virtual_mailbox_maps = ldap:{folder}/virtual_mailbox_maps-1.cf,\n"
        f"  ldap:{folder}/virtual_mailbox_maps-2.cf ldap:{folder}/virtual_mailbox_domains.cf\n"
        f"virtual_alias_maps = ldap:{folder}/virtual_alias_maps-1.cf\n"
    )
    code, out, _ = check(repo, folder)
    assert code == 3
    assert out.splitlines() == [
        f"{main}:3: virtual_mailbox_domains (not ldap:): deployed 'hash:/etc/postfix/d', "
        "declared ''",
        f"{main}:4: virtual_mailbox_maps[3]: deployed '{folder}/virtual_mailbox_domains.cf', "
        "declared '(none)'",
        f"{main}:6: virtual_alias_maps[2]: deployed '(none)', declared "
        "'mail.virtual_alias_maps[2]'",
    ]


def test_the_check_path_alone_imports_deepdiff(tmp_path: Path) -> None:
    """deepdiff costs a quarter of a second: no other command's start may pay for it."""
    code = (
        "import sys; from ldifctl.cli import main; "
        "assert 'deepdiff' not in sys.modules and 'git' not in sys.modules"
    )
    subprocess.run([sys.executable, "-c", code], check=True)
