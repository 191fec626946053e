/**
 * An incremental CSV parser (RFC 4180: quoted fields, "" escapes, CRLF or LF line ends): text goes
 * in chunk by chunk and complete rows come out, so a large file is never held whole.
 */
export class CsvParser {
	private field = '';
	private row: string[] = [];
	private inQuotes = false;
	/** A quote inside a quoted field: either the closing quote or the first half of "". */
	private quotePending = false;
	private lastWasCarriageReturn = false;

	/** Parses more text; returns the rows it completed. */
	push(text: string): string[][] {
		const rows: string[][] = [];
		let field = this.field;
		let start = 0;
		for (let i = 0; i < text.length; i++) {
			const char = text.charCodeAt(i);
			if (this.inQuotes) {
				if (this.quotePending) {
					this.quotePending = false;
					if (char === 0x22) {
						field += '"';
						start = i + 1;
						continue;
					}
					this.inQuotes = false;
					// fall through: the character after a closing quote is handled below
				} else {
					if (char === 0x22) {
						field += text.slice(start, i);
						this.quotePending = true;
						start = i + 1;
					}
					continue;
				}
			}
			if (char === 0x22) {
				field += text.slice(start, i);
				this.inQuotes = true;
				start = i + 1;
			} else if (char === 0x2c) {
				this.row.push(field + text.slice(start, i));
				field = '';
				start = i + 1;
			} else if (char === 0x0a || char === 0x0d) {
				if (
					char === 0x0a &&
					this.lastWasCarriageReturn &&
					start === i &&
					field === '' &&
					this.row.length === 0
				) {
					// the LF of a CRLF whose CR already ended the row
					start = i + 1;
					this.lastWasCarriageReturn = false;
					continue;
				}
				this.row.push(field + text.slice(start, i));
				field = '';
				start = i + 1;
				if (!(this.row.length === 1 && this.row[0] === '')) rows.push(this.row);
				this.row = [];
				this.lastWasCarriageReturn = char === 0x0d;
				continue;
			}
			this.lastWasCarriageReturn = false;
		}
		this.field = field + text.slice(start);
		return rows;
	}

	/** Ends the input; returns the last row when the text did not end with a line break. */
	end(): string[][] {
		if (this.inQuotes && !this.quotePending) throw new Error('The CSV ends inside a quoted field');
		this.inQuotes = false;
		this.quotePending = false;
		if (this.field === '' && this.row.length === 0) return [];
		this.row.push(this.field);
		const row = this.row;
		this.field = '';
		this.row = [];
		return [row];
	}
}
