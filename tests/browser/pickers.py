"""Using a searchable picker (portal/autocomplete.py) as a user does: type, then pick."""


def pick(page, field_id: str, typed: str, option: str) -> None:
    """In the Tom Select that replaced `<select id=field_id>`, type `typed` and click the
    option whose text is `option`."""
    page.locator(f"#{field_id}").locator("xpath=following-sibling::div[1]").locator(
        ".ts-control"
    ).click()
    page.keyboard.type(typed)
    page.locator(f"#{field_id}-ts-dropdown .option", has_text=option).first.click()
    page.keyboard.press("Escape")  # close the dropdown, as leaving the field does
