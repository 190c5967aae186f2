package org.soilobs.bench;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class MachineInfoTest {

    @Test
    void takesTheFirstModelNameOfCpuinfo() {
        String cpuinfo = "processor\t: 0\nvendor_id\t: AuthenticAMD\nmodel name\t: AMD EPYC   7B13\n\nprocessor\t: 1\n"
                + "model name\t: AMD EPYC 7B13\n";
        assertThat(MachineInfo.cpuModel(cpuinfo)).isEqualTo("AMD EPYC 7B13");
        assertThat(MachineInfo.cpuModel("processor\t: 0\nBogoMIPS\t: 50.00\n")).isEqualTo("unknown");
    }

    @Test
    void takesThePrettyNameOfOsRelease() {
        String osRelease = "NAME=\"Debian GNU/Linux\"\nPRETTY_NAME=\"Debian GNU/Linux 12 (bookworm)\"\nVERSION_ID=\"12\"\n";
        assertThat(MachineInfo.osName(osRelease)).isEqualTo("Debian GNU/Linux 12 (bookworm)");
        assertThat(MachineInfo.osName("")).isNull();
    }

    @Test
    void describesCoresMemoryAndJdk() {
        MachineInfo machine = new MachineInfo("AMD EPYC 7B13", 2, 23.5, "Debian 12", "OpenJDK 17.0.15", 2.0);
        assertThat(machine.describe()).isEqualTo("AMD EPYC 7B13, 2 cores, 23.5 GiB; Debian 12; OpenJDK 17.0.15, heap limit 2.0 GiB");
    }
}
