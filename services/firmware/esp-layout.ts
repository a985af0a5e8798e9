// Where the boot selection and the boot state live: the image build writes them (image/pipeline/grub-config.ts,
// disk.ts), the appliance mounts the ESP by its label to update the boot state.
export const espLabel = 'EXLB-ESP';
/** The ESP's directory of the boot selection (grub.cfg) and the boot state copies: both boot loaders' prefix. */
export const espBootDir = 'EFI/exlb';
/** Where the appliance mounts the ESP (read-only; remounted read-write only for a boot state write). */
export const espMountPoint = '/efi';
/** Set by a test-only build (EXLB_TEST_BREAK_BOOT_CHECK=1): the boot check fails on a system carrying this file. */
export const brokenBootCheckMarker = '/opt/exlb/test-break-boot-check';
/** The system slots' GPT partition names (image/recipe.json disk.partitionNames): the installer finds them by these. */
export const slotPartitionLabels = { A: 'exlb-system-a', B: 'exlb-system-b' } as const;
