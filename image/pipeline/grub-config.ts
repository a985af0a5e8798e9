// The two GRUB configurations. The ESP's (EFI/exlb/grub.cfg, where both boot loaders start: their prefix) chooses
// the system slot from the boot state, two environment block copies beside it (services/firmware/boot-env.ts),
// counts a trying slot's boots down with save_env, and reads the chosen slot's own /boot/grub/grub.cfg, which boots
// its kernel. The ESP is written once, by the image build; update bundles only replace a slot, so the contract
// between the two (root, exlb_slot, exlb_partuuid) must stay as it is.
import { shippedBootState } from '../../services/firmware/boot-state.js';
import { bootEnvCopyNames, encodeBootEnv } from '../../services/firmware/boot-env.js';
import { grubEnvBytes } from '../../services/firmware/grub-env.js';
import { espBootDir } from '../../services/firmware/esp-layout.js';
import type { Recipe } from './recipe.js';

export { espBootDir, espLabel } from '../../services/firmware/esp-layout.js';
export const espPartition = 2;
export const slotPartitions = { A: 3, B: 4 } as const;

/** A tries count, one less (GRUB has no arithmetic). */
function countdown(variable: string, into: string): string[] {
	const lines = [`\tset ${into}=""`];
	for (let tries = 9; tries >= 1; tries--) lines.push(`\tif [ "$${variable}" = ${tries} ]; then set ${into}=${tries - 1}; fi`);
	return lines;
}

export function bootSelectConfig(recipe: Recipe): string {
	const [copy0, copy1] = bootEnvCopyNames;
	return [
		`# ${recipe.product} boot selection (ESP ${espBootDir}/grub.cfg): the BIOS core.img and BOOTX64.EFI both start here.`,
		'# The boot state is two copies of an environment block; the newer whole one (its three sequence numbers equal) wins.',
		`set timeout=${recipe.bootMenuTimeoutSeconds}`,
		'serial --unit=0 --speed=115200',
		'terminal_input console serial',
		'terminal_output console serial',
		'# $root is the ESP, e.g. hd0,gpt2: keep the disk.',
		'regexp --set=1:exlb_disk "^([^,]+)," "$root"',
		'',
		'function exlb_copy_sequence {',
		'\tset exlb_found=0',
		'\tunset EXLB_SEQ',
		'\tunset EXLB_MID',
		'\tunset EXLB_END',
		'\tif load_env --file "$1" EXLB_SEQ EXLB_MID EXLB_END; then',
		'\t\tif [ -n "$EXLB_SEQ" ]; then',
		'\t\t\tif [ "$EXLB_SEQ" = "$EXLB_MID" ]; then',
		'\t\t\t\tif [ "$EXLB_SEQ" = "$EXLB_END" ]; then set exlb_found="$EXLB_SEQ"; fi',
		'\t\t\tfi',
		'\t\tfi',
		'\tfi',
		'}',
		`exlb_copy_sequence "$prefix/${copy0}"`,
		'set exlb_seq0="$exlb_found"',
		`exlb_copy_sequence "$prefix/${copy1}"`,
		'set exlb_seq1="$exlb_found"',
		'set exlb_copy=""',
		`if [ "$exlb_seq1" -gt "$exlb_seq0" ]; then set exlb_copy=${copy1}; elif [ "$exlb_seq0" != 0 ]; then set exlb_copy=${copy0}; fi`,
		'',
		'# Without a valid copy: the shipped state, slot A.',
		'set EXLB_PRIMARY=A',
		'set EXLB_A_STATUS=good',
		'set EXLB_A_TRIES=0',
		'set EXLB_B_STATUS=bad',
		'set EXLB_B_TRIES=0',
		'if [ -n "$exlb_copy" ]; then',
		'\tload_env --file "$prefix/$exlb_copy" EXLB_PRIMARY EXLB_A_STATUS EXLB_A_TRIES EXLB_B_STATUS EXLB_B_TRIES',
		'else',
		'\techo "exlb: no valid boot state: booting the shipped slot A"',
		'fi',
		'if [ "$EXLB_PRIMARY" = B ]; then',
		'\tset exlb_primary=B; set exlb_status="$EXLB_B_STATUS"; set exlb_tries="$EXLB_B_TRIES"; set exlb_other=A; set exlb_other_status="$EXLB_A_STATUS"',
		'else',
		'\tset exlb_primary=A; set exlb_status="$EXLB_A_STATUS"; set exlb_tries="$EXLB_A_TRIES"; set exlb_other=B; set exlb_other_status="$EXLB_B_STATUS"',
		'fi',
		'',
		'# A good primary boots; a trying one only while it has tries left, counted down first (never tried uncounted).',
		'set exlb_slot=""',
		'if [ "$exlb_status" = good ]; then',
		'\tset exlb_slot="$exlb_primary"',
		'elif [ "$exlb_status" = trying ]; then',
		...countdown('exlb_tries', 'exlb_left'),
		'\tif [ -n "$exlb_left" ]; then',
		'\t\tif [ "$exlb_primary" = A ]; then set EXLB_A_TRIES="$exlb_left"; set exlb_count=EXLB_A_TRIES; else set EXLB_B_TRIES="$exlb_left"; set exlb_count=EXLB_B_TRIES; fi',
		'\t\tif save_env --file "$prefix/$exlb_copy" "$exlb_count"; then',
		'\t\t\tset exlb_slot="$exlb_primary"',
		'\t\t\techo "exlb: trying slot $exlb_primary ($exlb_left more tries after this boot)"',
		'\t\telse',
		'\t\t\techo "exlb: cannot count slot $exlb_primary\'s tries down: not trying it"',
		'\t\tfi',
		'\tfi',
		'fi',
		'if [ -z "$exlb_slot" ]; then',
		'\tif [ "$exlb_other_status" = good ]; then set exlb_slot="$exlb_other"; else set exlb_slot="$exlb_primary"; fi',
		'\techo "exlb: slot $exlb_primary cannot boot ($exlb_status, tries $exlb_tries): booting slot $exlb_slot"',
		'fi',
		'',
		`if [ "$exlb_slot" = B ]; then set exlb_part=${slotPartitions.B}; else set exlb_part=${slotPartitions.A}; fi`,
		'set root="$exlb_disk,gpt$exlb_part"',
		'probe --set=exlb_partuuid --part-uuid "($root)"',
		'export root',
		'export exlb_slot',
		'export exlb_partuuid',
		'echo "exlb: booting slot $exlb_slot"',
		'source "($root)/boot/grub/grub.cfg"',
		'',
	].join('\n');
}

/** The slot's own configuration, in its squashfs: the same for every slot and version (the boot selection names the slot). */
export function slotGrubConfig(recipe: Recipe): string {
	return [
		`# ${recipe.product}: read by the ESP's boot selection (${espBootDir}/grub.cfg), which sets root, exlb_slot and exlb_partuuid.`,
		`menuentry "${recipe.product} (slot $exlb_slot)" {`,
		`\tlinux /boot/vmlinuz root=PARTUUID=$exlb_partuuid rootfstype=squashfs ro exlb.slot=$exlb_slot ${recipe.kernelCmdline}`,
		'\tinitrd /boot/initrd.img',
		'}',
		'',
	].join('\n');
}

/** The boot state as shipped: copy 0 says slot A (this version) is good, copy 1 is zeroed (not yet written, its clusters reserved). */
export function shippedBootEnvCopies(recipe: Recipe): [Buffer, Buffer] {
	return [encodeBootEnv(shippedBootState(recipe.version), 1), Buffer.alloc(grubEnvBytes)];
}
