"""sanctions.letters.rendering.html_to_pdf: gunicorn's threads in one worker render PDFs one after another."""

import threading
import time

import weasyprint

from sanctions.letters.rendering import html_to_pdf


def test_threads_of_one_process_never_render_two_pdfs_at_once(monkeypatch):
    state = {"now": 0, "most": 0}
    guard = threading.Lock()

    class SlowHTML:
        def __init__(self, **kwargs):
            pass

        def write_pdf(self, **kwargs):
            with guard:
                state["now"] += 1
                state["most"] = max(state["most"], state["now"])
            time.sleep(0.02)
            with guard:
                state["now"] -= 1
            return b"%PDF-1.7"

    monkeypatch.setattr(weasyprint, "HTML", SlowHTML)
    results = []
    threads = [threading.Thread(target=lambda: results.append(html_to_pdf("<p>Letter</p>"))) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert results == [b"%PDF-1.7"] * 4
    assert state["most"] == 1


def test_a_real_letter_still_renders(db):
    assert html_to_pdf("<p>Dear Parent</p>").startswith(b"%PDF")
