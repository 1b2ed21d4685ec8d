package dev.ioserverless.push;

/** The key of an installation in the installations table: the citizen and the app's installation id. */
public record InstallationKey(String fiscalCode, String installationId) {

    @Override
    public String toString() {
        return "InstallationKey[installationId=" + installationId + "]";
    }
}
