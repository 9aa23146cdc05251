"""A test SAML 2.0 identity provider: a signing key and certificate made for the test run, and
signed responses to platsa's authentication requests, as a municipality's IdP (e.g. in front of
SITHS or Freja eID+) would send them through the browser. No network: the test client carries
the request and the response, as the browser does."""

from __future__ import annotations

import base64
import datetime as dt
import uuid
from dataclasses import dataclass
from xml.sax.saxutils import escape, quoteattr

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import NameOID
from defusedxml import ElementTree
from onelogin.saml2.constants import OneLogin_Saml2_Constants
from onelogin.saml2.utils import OneLogin_Saml2_Utils

ENTITY_ID = "https://idp.ostersund.example/saml"
SSO_URL = "https://idp.ostersund.example/saml/sso"
SAMLP = "urn:oasis:names:tc:SAML:2.0:protocol"


@dataclass(frozen=True)
class SigningKey:
    key_pem: str
    cert_pem: str

    @property
    def cert_base64(self) -> str:
        """The certificate as the IdP's metadata gives it (base64 DER, no PEM lines)."""
        return "".join(
            line for line in self.cert_pem.splitlines() if line and not line.startswith("-----")
        )


def signing_key(common_name: str = "idp.ostersund.example") -> SigningKey:
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, common_name)])
    now = dt.datetime.now(dt.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(days=1))
        .not_valid_after(now + dt.timedelta(days=30))
        .sign(key, hashes.SHA256())
    )
    return SigningKey(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        ).decode(),
        cert.public_bytes(serialization.Encoding.PEM).decode(),
    )


@dataclass(frozen=True)
class AuthnRequest:
    id: str
    acs_url: str
    sp_entity_id: str


def read_request(saml_request: str) -> AuthnRequest:
    """platsa's AuthnRequest from the redirect's ``SAMLRequest`` (deflated, base64)."""
    xml = OneLogin_Saml2_Utils.decode_base64_and_inflate(saml_request)
    root = ElementTree.fromstring(xml)
    issuer = root.find("{urn:oasis:names:tc:SAML:2.0:assertion}Issuer")
    assert issuer is not None and issuer.text
    return AuthnRequest(root.get("ID"), root.get("AssertionConsumerServiceURL"), issuer.text)


def _time(moment: dt.datetime) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


def signed_response(
    request: AuthnRequest,
    key: SigningKey,
    *,
    subject: str,
    attributes: dict[str, str],
    issuer: str = ENTITY_ID,
    audience: str | None = None,
    minutes_valid: int = 5,
    sign: bool = True,
) -> str:
    """A successful response to ``request`` with a signed assertion, base64 as the form posts it."""
    now = dt.datetime.now(dt.UTC)
    until = _time(now + dt.timedelta(minutes=minutes_valid))
    issued = _time(now)
    assertion_id = "_" + uuid.uuid4().hex
    statements = "".join(
        f'<saml:Attribute Name={quoteattr(name)} NameFormat="urn:oasis:names:tc:SAML:2.0:'
        f'attrname-format:uri"><saml:AttributeValue>{escape(value)}</saml:AttributeValue>'
        "</saml:Attribute>"
        for name, value in attributes.items()
    )
    assertion = (
        f'<saml:Assertion xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion" ID="{assertion_id}" '
        f'Version="2.0" IssueInstant="{issued}">'
        f"<saml:Issuer>{escape(issuer)}</saml:Issuer>"
        "<saml:Subject>"
        '<saml:NameID Format="urn:oasis:names:tc:SAML:2.0:nameid-format:persistent">'
        f"{escape(subject)}</saml:NameID>"
        '<saml:SubjectConfirmation Method="urn:oasis:names:tc:SAML:2.0:cm:bearer">'
        f'<saml:SubjectConfirmationData NotOnOrAfter="{until}" '
        f'Recipient={quoteattr(request.acs_url)} InResponseTo="{request.id}"/>'
        "</saml:SubjectConfirmation></saml:Subject>"
        f'<saml:Conditions NotBefore="{_time(now - dt.timedelta(minutes=1))}" '
        f'NotOnOrAfter="{until}"><saml:AudienceRestriction>'
        f"<saml:Audience>{escape(audience or request.sp_entity_id)}</saml:Audience>"
        "</saml:AudienceRestriction></saml:Conditions>"
        f'<saml:AuthnStatement AuthnInstant="{issued}" SessionIndex="_{uuid.uuid4().hex}">'
        "<saml:AuthnContext><saml:AuthnContextClassRef>"
        "urn:oasis:names:tc:SAML:2.0:ac:classes:PasswordProtectedTransport"
        "</saml:AuthnContextClassRef></saml:AuthnContext></saml:AuthnStatement>"
        f"<saml:AttributeStatement>{statements}</saml:AttributeStatement>"
        "</saml:Assertion>"
    )
    if not sign:
        return _response(request, issuer, issued, assertion)
    signed = OneLogin_Saml2_Utils.add_sign(
        assertion,
        key.key_pem,
        key.cert_pem,
        sign_algorithm=OneLogin_Saml2_Constants.RSA_SHA256,
        digest_algorithm=OneLogin_Saml2_Constants.SHA256,
    )
    signed_text = signed.decode() if isinstance(signed, bytes) else signed
    if signed_text.startswith("<?xml"):
        signed_text = signed_text.split("?>", 1)[1]
    return _response(request, issuer, issued, signed_text)


def _response(request: AuthnRequest, issuer: str, issued: str, assertion: str) -> str:
    response = (
        f'<samlp:Response xmlns:samlp="{SAMLP}" '
        'xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion" '
        f'ID="_{uuid.uuid4().hex}" Version="2.0" IssueInstant="{issued}" '
        f'Destination={quoteattr(request.acs_url)} InResponseTo="{request.id}">'
        f"<saml:Issuer>{escape(issuer)}</saml:Issuer>"
        '<samlp:Status><samlp:StatusCode Value="urn:oasis:names:tc:SAML:2.0:status:Success"/>'
        "</samlp:Status>"
        f"{assertion}"
        "</samlp:Response>"
    )
    return base64.b64encode(response.encode()).decode()
