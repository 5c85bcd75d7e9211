"""End to end on the command line, as a new user would: a code from
`sekretar link-code`, a conversation over several `sekretar chat` runs (the
state persists), then `sekretar tasks/events/messages --json`."""
from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

NOW = "2030-03-25T12:28:00+03:00"  # a Monday; codes are issued on the real clock, before it


@pytest.fixture
def run(tmp_path):
    env = {k: v for k, v in os.environ.items() if not k.startswith("SEKRETAR_")}
    env.update(SEKRETAR_HOME=str(tmp_path / "home"), SEKRETAR_WORKSPACE="local", SEKRETAR_LANG="ru")

    def run(*args, stdin: str = "", check: bool = True, extra_env: dict | None = None):
        res = subprocess.run([sys.executable, "-m", "sekretar.cli", *args], input=stdin,
                             env={**env, **(extra_env or {})},
                             capture_output=True, text=True, timeout=120)
        if check:
            assert res.returncode == 0, res.stderr
        assert "Traceback" not in res.stderr
        return res

    return run


def chat(run, *lines: str, args=("--now", NOW)) -> list[dict]:
    out = run("chat", "--jsonl", *args, stdin="".join(f"{line}\n" for line in lines)).stdout
    replies = [json.loads(line) for line in out.splitlines()]
    assert len(replies) == len(lines)
    assert all(set(r) == {"text", "end"} for r in replies)
    return replies


def items(run, kind: str) -> list[dict]:
    return [json.loads(line) for line in run(kind, "--json").stdout.splitlines() if line.strip()]


def test_link_then_task_event_message_over_several_runs(run):
    code = run("link-code", "Ольга Новикова").stdout.split()[0]
    assert code.isdigit() and len(code) == 6
    spoken = " ".join("ноль один два три четыре пять шесть семь восемь девять".split()[int(c)] for c in code)

    first = chat(run, "Поставь задачу на Сергея Иванова на следующий вторник в 13:15.", args=())
    assert "привяжите аккаунт" in first[0]["text"]
    linked = chat(run, f"ну {spoken}", args=())
    assert "Ольга Новикова" in linked[0]["text"]
    # the command said before linking was remembered: now its title is asked
    assert "Как назвать задачу?" in linked[0]["text"]

    # the rest of the conversation, one run per answer: the state persists
    assert "«Отчет маркетинга» Сергею Иванову" in chat(run, "Отчет маркетинга", args=())[0]["text"]
    assert "Готово" in chat(run, "да", args=())[0]["text"]

    replies = chat(run, "Запланируй встречу на завтра с 14 до 15.", "Планерка", "да",
                   "Напиши сообщение Насте.", "привет, как дела?", "давай")
    assert "Как назвать встречу?" in replies[0]["text"]
    assert "на 26 марта с 14:00 до 15:00" in replies[1]["text"]
    assert "Что написать Анастасии Смирновой?" in replies[3]["text"]
    assert all("Готово" in replies[i]["text"] for i in (2, 5))

    tasks, events, messages = items(run, "tasks"), items(run, "events"), items(run, "messages")
    assert [t["title"] for t in tasks] == ["Отчет маркетинга"]
    assert "Иванов" in str(tasks[0]["responsible"]) and "Новикова" in str(tasks[0]["created_by"])
    assert [(e["title"], e["start"][:16], e["end"][:16]) for e in events] == [
        ("Планерка", "2030-03-26T14:00", "2030-03-26T15:00")]
    assert [m["text"] for m in messages] == ["привет, как дела?"]
    assert "Смирнова" in str(messages[0]["to"])


def test_chat_state_is_per_user(run):
    code = run("link-code", "Ольга Новикова").stdout.split()[0]
    chat(run, code, args=("--user", "cli:olga"))
    assert "Кому отправить сообщение?" in chat(run, "Отправить сообщение.", args=("--user", "cli:olga"))[0]["text"]
    other = chat(run, "Насте", args=("--user", "cli:someone"))
    assert "привяжите аккаунт" in other[0]["text"]


def test_chat_english_and_plain_output(run):
    code = run("link-code", "Ольга Новикова").stdout.split()[0]
    out = run("chat", "--lang", "en", stdin=f"{code}\nCreate a task for Ivanov\n").stdout
    lines = out.splitlines()
    assert len(lines) == 2
    assert "Olga Novikova" in lines[0]
    assert "What should the task be called?" in lines[1]


@pytest.mark.parametrize("args,message", [
    (("--now", "tomorrow"), "--now"),
    (("--tz", "Mars/Olympus"), "time zone"),
])
def test_chat_bad_arguments_are_clear(run, args, message):
    res = run("chat", *args, stdin="да\n", check=False)
    assert res.returncode == 2
    assert message in res.stderr


def test_chat_audio_bad_file_is_clear(run, tmp_path):
    bad = tmp_path / "noise.wav"
    bad.write_bytes(b"this is not audio at all")
    res = run("chat", "--audio", str(bad), check=False)
    assert res.returncode == 2
    assert res.stderr.startswith("sekretar: ")


def test_chat_audio_is_one_utterance(run, ru_model_dir, ru_samples):
    code = run("link-code", "Ольга Новикова").stdout.split()[0]
    chat(run, code, args=())
    res = run("chat", "--now", NOW, "--audio", str(ru_samples / "01_task_time_digits__rhvoice-irina.wav"),
              extra_env={"SEKRETAR_VOSK_MODEL": str(ru_model_dir)})
    heard, reply = res.stdout.splitlines()
    assert heard.startswith("> ") and "задачу" in heard
    assert "Как назвать задачу?" in reply


def test_chat_on_a_terminal_asks_who_then_greets_and_prompts(tmp_path):
    """On the local workspace a terminal's first run asks who the user is
    among the directory's people and links directly: no second terminal."""
    pty = pytest.importorskip("pty")
    env = {k: v for k, v in os.environ.items() if not k.startswith("SEKRETAR_")}
    env.update(SEKRETAR_HOME=str(tmp_path / "home"), SEKRETAR_LANG="ru")
    pid, fd = pty.fork()
    if pid == 0:  # the child: sekretar chat on the terminal
        os.execve(sys.executable, [sys.executable, "-m", "sekretar.cli", "chat"], env)
    os.write(fd, "никто\n12\nпомощь\n".encode())
    os.write(fd, b"\x04")  # end of input
    out = b""
    while True:
        try:
            chunk = os.read(fd, 4096)
        except OSError:
            break
        if not chunk:
            break
        out += chunk
    _, status = os.waitpid(pid, 0)
    text = out.decode("utf-8", "replace")
    assert os.WEXITSTATUS(status) == 0, text
    assert "Кто вы?" in text and "12. Ольга Новикова" in text  # the directory, numbered
    assert "Не нашла «никто»" in text   # a name that is nobody: asked again
    assert "Вы — Ольга Новикова." in text
    assert "Здравствуйте" in text      # the greeting
    assert "> " in text                # the prompt
    assert "Я умею" in text and "привяжите" not in text  # "помощь", linked


def test_first_run_with_no_second_terminal(run):
    """`chat --as NAME` links at once on the local workspace: create a task,
    ask what is on tomorrow, move its deadline, close it."""
    replies = chat(run, "Поставь задачу купить бумагу на завтра", "да", "что у меня завтра",
                   "перенеси её на пятницу", "да", "закрой её", "да",
                   args=("--now", NOW, "--as", "Ольга Новикова"))
    texts = [r["text"] for r in replies]
    assert "Поставить задачу «Купить бумагу» себе" in texts[0]
    assert "Готово" in texts[1]
    assert "Завтра у вас 1 задача" in texts[2] and "Купить бумагу" in texts[2]
    assert "с завтра 12:00 на пятницу 12:00" in texts[3] and "Готово" in texts[4]
    assert "Закрыть задачу «Купить бумагу»?" in texts[5] and "закрыта" in texts[6]
    [task] = items(run, "tasks")
    assert (task["status"], task["deadline"]) == ("done", "2030-03-29T12:00:00+03:00")


def test_as_needs_a_person_of_the_directory(run):
    res = run("chat", "--as", "Никто Никаков", stdin="привет\n", check=False)
    assert res.returncode != 0 and "nobody called" in res.stderr
