"""The commands the stack starts its servers with are read by them as meant."""
from __future__ import annotations

from pathlib import Path

import pytest
from rasa.__main__ import create_argument_parser

from ops.stack import Stack


@pytest.mark.parametrize("token", ["-Jx3kQ_leading-dash", "plain_token_123"])
def test_the_rasa_server_gets_its_api_token_whatever_it_starts_with(token):
    # A generated token starts with "-" about once in 64 starts; passed as a separate argument,
    # argparse took it for an option and the server exited at once.
    server = Stack(model=Path("models/x.tar.gz"), api_token=token).rasa_server(5005)
    module = server.args.index("ops.rasa_server")
    args = create_argument_parser().parse_args(server.args[module + 1:])
    assert args.auth_token == token and args.enable_api
