// Microsoft's and the protocols' own names, the same in every language (both dictionaries include them).
export const productNames = {
	'service.owa': 'OWA',
	'service.ecp': 'ECP',
	'service.ews': 'EWS',
	'service.activesync': 'ActiveSync',
	'service.oab': 'OAB',
	'service.autodiscover': 'Autodiscover',
	'service.outlookAnywhere': 'Outlook Anywhere',
	'service.rpc': 'RPC',
	'service.imap': 'IMAP',
	'service.pop3': 'POP3',
	'service.smtp': 'SMTP',
} as const;
