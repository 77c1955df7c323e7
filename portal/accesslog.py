"""gunicorn's access log with the secrets a URL can carry taken out (gunicorn.conf.py).

A calendar feed's address is /calendar/<token>.ics: the token alone opens the user's
deadlines, so it is a password and never written to a log. The same goes for the value of any
`token=` (or `key=`, `signature=`) query parameter, and for an Authorization header should a
log format name it (the rules are portal/logs.py's redact(), which the application's own log
lines go through too). Every atom is redacted (the request line, the path, the query, the
referer), so a format change cannot bring the token back.
"""

from gunicorn.glogging import Logger

from portal.logs import redact


class RedactingLogger(Logger):
    def atoms(self, resp, req, environ, request_time):
        atoms = super().atoms(resp, req, environ, request_time)
        query = atoms.get("q")
        if query:  # the bare query string has no leading "?": redact it as if it had
            atoms["q"] = redact("?" + query)[1:]
        return {
            key: redact(value) if isinstance(value, str) and key != "q" else value
            for key, value in atoms.items()
        }

    # gunicorn's error log names the request it failed on ("Error handling request <uri>").
    def _redacted(self, method, msg, *args, **kwargs):
        args = tuple(redact(arg) if isinstance(arg, str) else arg for arg in args)
        return method(redact(msg) if isinstance(msg, str) else msg, *args, **kwargs)

    def error(self, msg, *args, **kwargs):
        return self._redacted(super().error, msg, *args, **kwargs)

    def exception(self, msg, *args, **kwargs):
        return self._redacted(super().exception, msg, *args, **kwargs)

    def warning(self, msg, *args, **kwargs):
        return self._redacted(super().warning, msg, *args, **kwargs)

    def info(self, msg, *args, **kwargs):
        return self._redacted(super().info, msg, *args, **kwargs)

    def debug(self, msg, *args, **kwargs):
        return self._redacted(super().debug, msg, *args, **kwargs)
