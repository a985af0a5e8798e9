// The offline API reference: one static HTML page rendered from the OpenAPI document (every path, method, parameter,
// body and response, schemas folded in <details>), styled by one stylesheet from this server. No script at all, so
// it lives under CSP default-src 'self' without unsafe-inline, unlike swagger-ui. Everything from the document is
// HTML-escaped (descriptions are ours, but the page must not trust them).

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type JsonObject = { [key: string]: Json };

const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (char) => `&#${char.charCodeAt(0)};`);

const asObject = (value: Json | undefined): JsonObject => (typeof value === 'object' && value !== null && !Array.isArray(value) ? value : {});
const asText = (value: Json | undefined): string => (typeof value === 'string' ? value : '');

const methods = ['get', 'put', 'post', 'delete', 'patch'] as const;

/** A schema as readable JSON, references shown as links to the schema list at the end. */
function schemaBlock(schema: Json | undefined): string {
	if (schema === undefined) return '';
	const text = escapeHtml(JSON.stringify(schema, null, 2)).replace(/&#34;#\/components\/schemas\/([A-Za-z0-9_.-]+)&#34;/g, (_match, name: string) => `<a href="#schema-${name}">"#/components/schemas/${name}"</a>`);
	return `<details><summary>schema</summary><pre>${text}</pre></details>`;
}

function parametersTable(parameters: Json | undefined): string {
	if (!Array.isArray(parameters) || parameters.length === 0) return '';
	const rows = parameters.map((entry) => {
		const parameter = asObject(entry);
		const required = parameter.required === true ? 'required' : 'optional';
		return `<tr><td><code>${escapeHtml(asText(parameter.name))}</code></td><td>${escapeHtml(asText(parameter.in))}</td><td>${required}</td><td><code>${escapeHtml(JSON.stringify(parameter.schema ?? {}))}</code></td></tr>`;
	});
	return `<table><thead><tr><th>parameter</th><th>in</th><th></th><th>schema</th></tr></thead><tbody>${rows.join('')}</tbody></table>`;
}

function contentBlocks(content: Json | undefined): string {
	return Object.entries(asObject(content)).map(([type, media]) => `<p class="media"><code>${escapeHtml(type)}</code></p>${schemaBlock(asObject(media).schema)}`).join('');
}

function operationSection(path: string, method: string, operation: JsonObject): string {
	const id = `${method}-${path}`.replace(/[^A-Za-z0-9]+/g, '-');
	const isPublic = Array.isArray(operation.security) && operation.security.length === 0;
	const body = asObject(operation.requestBody);
	const responses = Object.entries(asObject(operation.responses)).map(([status, response]) => {
		const value = asObject(response);
		return `<li><b>${escapeHtml(status)}</b> ${escapeHtml(asText(value.description))}${contentBlocks(value.content)}</li>`;
	});
	return `<section id="${id}"><h3><span class="method ${method}">${method.toUpperCase()}</span> <code>${escapeHtml(path)}</code>${isPublic ? ' <span class="public">no login</span>' : ''}</h3>`
		+ `<p class="summary">${escapeHtml(asText(operation.summary))}</p>`
		+ (operation.description === undefined ? '' : `<p>${escapeHtml(asText(operation.description))}</p>`)
		+ parametersTable(operation.parameters)
		+ (Object.keys(body).length === 0 ? '' : `<h4>Request body</h4>${contentBlocks(body.content)}`)
		+ `<h4>Responses</h4><ul>${responses.join('')}</ul></section>`;
}

export function renderReferencePage(document: unknown): string {
	const doc = asObject(document as Json);
	const info = asObject(doc.info);
	const byTag = new Map<string, string[]>();
	for (const [path, item] of Object.entries(asObject(doc.paths))) {
		for (const method of methods) {
			const operation = asObject(asObject(item)[method]);
			if (Object.keys(operation).length === 0) continue;
			const tag = asText(Array.isArray(operation.tags) ? operation.tags[0] : undefined) || 'Other';
			byTag.set(tag, [...(byTag.get(tag) ?? []), operationSection(path, method, operation)]);
		}
	}
	const schemas = Object.entries(asObject(asObject(doc.components).schemas))
		.map(([name, schema]) => `<section id="schema-${escapeHtml(name)}"><h3><code>${escapeHtml(name)}</code></h3><pre>${escapeHtml(JSON.stringify(schema, null, 2))}</pre></section>`);
	const contents = [...byTag.keys()].map((tag) => `<li><a href="#tag-${escapeHtml(tag.replace(/\W+/g, '-'))}">${escapeHtml(tag)}</a></li>`);
	return '<!doctype html>\n<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">'
		+ `<title>${escapeHtml(asText(info.title))}</title><link rel="stylesheet" href="/api/v1/reference.css"></head><body>`
		+ `<header><h1>${escapeHtml(asText(info.title))} <small>${escapeHtml(asText(info.version))}</small></h1>`
		+ `<p>${escapeHtml(asText(info.description))}</p><p>Machine-readable: <a href="/api/v1/openapi.json">OpenAPI ${escapeHtml(asText(doc.openapi))} document</a>.</p>`
		+ `<nav><ul>${contents.join('')}<li><a href="#schemas">Schemas</a></li></ul></nav></header><main>`
		+ [...byTag].map(([tag, sections]) => `<h2 id="tag-${escapeHtml(tag.replace(/\W+/g, '-'))}">${escapeHtml(tag)}</h2>${sections.join('')}`).join('')
		+ `<h2 id="schemas">Schemas</h2>${schemas.join('')}</main></body></html>\n`;
}

export const referenceStylesheet = `
body { font: 15px/1.45 system-ui, sans-serif; margin: 0 auto; max-width: 60rem; padding: 1rem 1.5rem 4rem; color: #1b1f24; background: #fff; }
h1 small { font-weight: normal; color: #57606a; font-size: 60%; }
h2 { border-bottom: 1px solid #d0d7de; padding-bottom: .3rem; margin-top: 2.5rem; }
h3 { font-size: 1.05rem; margin: 1.6rem 0 .3rem; }
h4 { font-size: .9rem; margin: .8rem 0 .2rem; color: #57606a; }
section { border-left: 3px solid #d0d7de; padding-left: .9rem; }
code, pre { font-family: ui-monospace, monospace; font-size: 13px; }
pre { background: #f6f8fa; padding: .6rem; overflow-x: auto; max-height: 30rem; }
table { border-collapse: collapse; font-size: 14px; } td, th { border: 1px solid #d0d7de; padding: .2rem .5rem; text-align: left; }
.method { display: inline-block; min-width: 4.2rem; padding: 0 .3rem; border-radius: 3px; color: #fff; font-size: 12px; text-align: center; }
.get { background: #0969da; } .post { background: #1a7f37; } .put, .patch { background: #9a6700; } .delete { background: #cf222e; }
.public { font-size: 12px; color: #1a7f37; border: 1px solid #1a7f37; border-radius: 3px; padding: 0 .3rem; }
.summary { font-weight: 600; margin: .2rem 0; } .media { margin: .2rem 0; }
nav ul { columns: 2; }
`;
