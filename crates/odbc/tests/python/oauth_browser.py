#!/usr/bin/env python3
"""The default browser of the OAuth tests (set as $BROWSER): headless Chromium opens the
authorization URL the driver gives it, answers the sandbox's consent page as CONTROL_DIR/decision
says (allow, deny, or ignore: leave the page unanswered), and writes the title of the page the
driver's callback listener shows into CONTROL_DIR/log.

usage: oauth_browser.py CONTROL_DIR URL
"""
import os
import sys

from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait


def main():
    control, url = sys.argv[1], sys.argv[2]
    try:
        with open(os.path.join(control, "decision")) as f:
            decision = f.read().strip()
    except FileNotFoundError:
        decision = "allow"
    options = webdriver.ChromeOptions()
    options.binary_location = "/usr/bin/chromium"
    for arg in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"):
        options.add_argument(arg)
    browser = webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=options)
    outcome = "ignored"
    try:
        browser.get(url)
        if decision in ("allow", "deny"):
            browser.find_element(By.ID, decision).click()
            WebDriverWait(browser, 30).until(lambda b: b.find_elements(By.ID, "title"))
            outcome = browser.find_element(By.ID, "title").text
    except Exception as e:  # the test reads the log: say what went wrong there
        outcome = f"error: {e}"
    finally:
        browser.quit()
        with open(os.path.join(control, "log"), "a") as f:
            f.write(outcome + "\n")


if __name__ == "__main__":
    main()
